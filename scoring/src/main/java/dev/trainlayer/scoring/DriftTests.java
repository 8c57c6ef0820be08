package dev.trainlayer.scoring;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Drift of a column: how far values seen now are from the values a model was trained on.
 *
 * <ul>
 *   <li>{@link #psi} — population stability index over the training data's quantile bins (numbers) or its categories;
 *       the usual reading: below 0.1 stable, 0.1–0.25 moderate shift, above 0.25 major shift.</li>
 *   <li>{@link #ks} — the two-sample Kolmogorov–Smirnov statistic and p-value (numbers).</li>
 *   <li>{@link #chiSquare} — Pearson's chi-square test of homogeneity over categories, and its p-value.</li>
 * </ul>
 */
public final class DriftTests {
    /** Share given to an empty bin so PSI stays finite (the convention of most monitoring tools). */
    static final double EMPTY_SHARE = 1e-4;

    private DriftTests() {}

    /** A test's statistic and p-value. */
    public record Result(double statistic, double pValue) {}

    /**
     * PSI of numbers: {@code bins} bins at the training values' quantiles (fewer when values repeat), each bin's share
     * in training and now compared as {@code sum((now - train) * ln(now / train))}.
     */
    public static double psi(double[] training, double[] now, int bins) {
        if (training.length == 0 || now.length == 0) {
            return Double.NaN;
        }
        double[] sorted = training.clone();
        Arrays.sort(sorted);
        double[] edges = new double[bins - 1];
        int n = 0;
        for (int i = 1; i < bins; i++) {
            double q = sorted[(int) Math.min(sorted.length - 1, Math.floor((double) i * sorted.length / bins))];
            if (n == 0 || q > edges[n - 1]) {
                edges[n++] = q;
            }
        }
        edges = Arrays.copyOf(edges, n);
        return psi(shares(sorted, edges), shares(now, edges));
    }

    /** PSI of categories: the training categories' shares against now's (a category unseen in training counts as its own bin). */
    public static double psi(Map<String, Long> training, Map<String, Long> now) {
        Map<String, double[]> both = new LinkedHashMap<>();
        long totalTraining = training.values().stream().mapToLong(Long::longValue).sum();
        long totalNow = now.values().stream().mapToLong(Long::longValue).sum();
        if (totalTraining == 0 || totalNow == 0) {
            return Double.NaN;
        }
        training.forEach((k, v) -> both.computeIfAbsent(k, x -> new double[2])[0] = (double) v / totalTraining);
        now.forEach((k, v) -> both.computeIfAbsent(k, x -> new double[2])[1] = (double) v / totalNow);
        double[] e = both.values().stream().mapToDouble(p -> p[0]).toArray();
        double[] a = both.values().stream().mapToDouble(p -> p[1]).toArray();
        return psi(e, a);
    }

    static double psi(double[] expected, double[] actual) {
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], EMPTY_SHARE);
            double a = Math.max(actual[i], EMPTY_SHARE);
            sum += (a - e) * Math.log(a / e);
        }
        return sum;
    }

    /** Shares of values per bin: bin i holds values in (edges[i-1], edges[i]], the last bin everything above. */
    static double[] shares(double[] values, double[] edges) {
        double[] counts = new double[edges.length + 1];
        for (double v : values) {
            int bin = Arrays.binarySearch(edges, v);
            bin = bin >= 0 ? bin : -bin - 1;
            counts[bin]++;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] /= values.length;
        }
        return counts;
    }

    /** Two-sample Kolmogorov–Smirnov: the largest gap between the two empirical CDFs, and its two-sided p-value P(D >= d). */
    public static Result ks(double[] training, double[] now) {
        KolmogorovSmirnovTest test = new KolmogorovSmirnovTest();
        return new Result(test.kolmogorovSmirnovStatistic(training, now), test.kolmogorovSmirnovTest(training, now, false));
    }

    /**
     * Chi-square test of homogeneity: do both samples come from the same distribution over categories? Categories
     * either side has are the columns; without continuity correction (scipy's {@code chi2_contingency(correction=False)}).
     */
    public static Result chiSquare(Map<String, Long> training, Map<String, Long> now) {
        Map<String, long[]> both = new LinkedHashMap<>();
        training.forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[0] = v);
        now.forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[1] = v);
        both.values().removeIf(c -> c[0] + c[1] == 0);
        if (both.size() < 2) {
            return new Result(0, 1);
        }
        long[][] table = new long[2][both.size()];
        int j = 0;
        for (long[] c : both.values()) {
            table[0][j] = c[0];
            table[1][j] = c[1];
            j++;
        }
        ChiSquareTest test = new ChiSquareTest();
        return new Result(test.chiSquare(table), test.chiSquareTest(table));
    }
}
