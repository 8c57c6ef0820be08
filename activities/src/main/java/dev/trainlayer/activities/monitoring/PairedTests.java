package dev.trainlayer.activities.monitoring;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Is a challenger better than the champion on the same rows? Both tests are one-sided ("the challenger is better")
 * and paired: each row is scored by both models.
 */
public final class PairedTests {
    private PairedTests() {}

    /**
     * McNemar's exact test on the rows the two models disagree on: {@code challengerOnly} rows only the challenger
     * got right, {@code championOnly} rows only the champion did. The p-value is P(X ≥ challengerOnly) for
     * X ~ Binomial(challengerOnly + championOnly, 1/2) (scipy: {@code binomtest(b, b + c, 0.5, alternative='greater')}).
     */
    public static double mcnemar(int challengerOnly, int championOnly) {
        int n = challengerOnly + championOnly;
        if (n == 0) {
            return 1.0;
        }
        BinomialDistribution binomial = new BinomialDistribution(null, n, 0.5);
        return challengerOnly == 0 ? 1.0 : 1.0 - binomial.cumulativeProbability(challengerOnly - 1);
    }

    /** McNemar from each row's correctness under both models. */
    public static double mcnemar(boolean[] challengerRight, boolean[] championRight) {
        int b = 0;
        int c = 0;
        for (int i = 0; i < challengerRight.length; i++) {
            if (challengerRight[i] && !championRight[i]) {
                b++;
            } else if (!challengerRight[i] && championRight[i]) {
                c++;
            }
        }
        return mcnemar(b, c);
    }

    /**
     * A paired bootstrap of a metric's improvement: {@code improvement} scores one resample of row indices and returns
     * how much better the challenger is on it (positive: better). Rows are drawn with replacement, {@code resamples}
     * times, from a generator seeded with {@code seed} (same inputs and seed, same answer).
     *
     * @param observed the improvement on all rows
     * @return the percentile confidence interval at {@code 1 - alpha} and the one-sided p-value
     *         {@code (1 + #{improvement <= 0}) / (1 + resamples)}
     */
    public record Bootstrap(double observed, double low, double high, double pValue, int resamples) {}

    public static Bootstrap bootstrap(int rows, ToDoubleFunction<int[]> improvement, int resamples, double alpha, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] all = new int[rows];
        for (int i = 0; i < rows; i++) {
            all[i] = i;
        }
        double observed = improvement.applyAsDouble(all);
        double[] deltas = new double[resamples];
        int notBetter = 0;
        int[] sample = new int[rows];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < rows; i++) {
                sample[i] = random.nextInt(rows);
            }
            deltas[r] = improvement.applyAsDouble(sample);
            if (!(deltas[r] > 0)) {
                notBetter++;
            }
        }
        // A resample where a metric is undefined (ROC AUC of one class) counts as "not better" and stays out of the
        // interval, so the interval is never NaN while any resample had a value.
        double[] finite = Arrays.stream(deltas).filter(Double::isFinite).sorted().toArray();
        double low = finite.length == 0 ? observed : percentile(finite, alpha / 2);
        double high = finite.length == 0 ? observed : percentile(finite, 1 - alpha / 2);
        return new Bootstrap(observed, low, high, (1.0 + notBetter) / (1.0 + resamples), resamples);
    }

    /** Linear interpolation between order statistics (numpy's default percentile). */
    public static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
