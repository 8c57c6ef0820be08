package dev.trainlayer.activities.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainlayer.activities.monitoring.PairedTests;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a model card says of a model's test-set quality beyond one number per metric (written by the evaluation to
 * {@code runs/{runId}/evaluation.json}): each metric with a bootstrap percentile interval over the test rows; for
 * classification, per-class precision, recall, F1 and support and the confusion matrix (rows: actual, columns:
 * predicted, in {@code classes} order); for regression, a summary of the residuals (predicted − actual).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelEvidence(int rows, double confidence, int resamples, List<Interval> intervals, List<String> classes,
                            List<ClassMetrics> perClass, long[][] confusion, Residuals residuals) {

    /** The confusion matrix is left out past this many classes (the per-class table stays). */
    public static final int MAX_CONFUSION_CLASSES = 30;
    static final double CONFIDENCE = 0.95;

    /** A metric's value on all test rows and its bootstrap interval (null where undefined: JSON has no NaN). */
    public record Interval(String metric, Double value, Double low, Double high) {}

    /** Null where undefined: precision of a class never predicted, recall of a class absent from the test rows. */
    public record ClassMetrics(String label, Double precision, Double recall, Double f1, long support) {}

    public record Residuals(Double mean, Double std, Double p05, Double p25, Double median, Double p75, Double p95, Double maxAbs) {}

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * Resamples so that rows × resamples stays near 20 million metric row-evaluations (1000 up to 20,000 rows, at least
     * 200): intervals of a large test set are narrow anyway, and evaluation should not take minutes.
     */
    static int resamplesFor(int rows) {
        return resamplesFor(rows, 2);
    }

    /** The same with multiclass ROC AUC's cost: one sort per class per resample (at least 50 resamples, at most 1000). */
    static int resamplesFor(int rows, int classes) {
        long work = (long) Math.max(1, rows) * (classes > 2 ? classes : 1);
        return (int) Math.max(classes > 2 ? 50 : 200, Math.min(1000, 20_000_000L / work));
    }

    static ModelEvidence of(EvaluationActivitiesImpl.Scored scored, List<String> classNames, long seed) {
        int rows = scored.outputs().length;
        int resamples = resamplesFor(rows, scored.classes());
        List<Interval> intervals = new ArrayList<>();
        for (Map.Entry<String, Double> e : scored.metrics().entrySet()) {
            Metric metric = Metric.parse(e.getKey());
            // The same seed for every metric: one set of resamples, intervals that belong together.
            PairedTests.Bootstrap b = PairedTests.bootstrap(rows, sample -> Significance.value(metric, scored, sample), resamples,
                    1 - CONFIDENCE, seed);
            intervals.add(new Interval(e.getKey(), e.getValue() == null ? null : finite(e.getValue()), finite(b.low()), finite(b.high())));
        }
        if (scored.task() == Task.REGRESSION) {
            return new ModelEvidence(rows, CONFIDENCE, resamples, intervals, null, null, null, residuals(scored));
        }
        int k = scored.classes();
        long[][] confusion = new long[k][k];
        for (int i = 0; i < rows; i++) {
            int actual = (int) scored.labels()[i];
            if (actual >= 0 && actual < k) {
                confusion[actual][Significance.argmax(scored.outputs()[i])]++;
            }
        }
        List<ClassMetrics> perClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long actual = Arrays.stream(confusion[c]).sum();
            long predicted = 0;
            for (long[] row : confusion) {
                predicted += row[c];
            }
            double precision = predicted == 0 ? Double.NaN : (double) tp / predicted;
            double recall = actual == 0 ? Double.NaN : (double) tp / actual;
            double f1 = tp == 0 ? (actual == 0 && predicted == 0 ? Double.NaN : 0) : 2.0 * tp / (actual + predicted);
            perClass.add(new ClassMetrics(c < classNames.size() ? classNames.get(c) : String.valueOf(c), finite(precision), finite(recall),
                    finite(f1), actual));
        }
        return new ModelEvidence(rows, CONFIDENCE, resamples, intervals, List.copyOf(classNames), perClass,
                k <= MAX_CONFUSION_CLASSES ? confusion : null, null);
    }

    static Residuals residuals(EvaluationActivitiesImpl.Scored scored) {
        int n = scored.outputs().length;
        double[] r = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            r[i] = scored.outputs()[i][0] - scored.labels()[i];
            sum += r[i];
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double ss = 0;
        double maxAbs = 0;
        for (double v : r) {
            ss += (v - mean) * (v - mean);
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        double[] sorted = r.clone();
        Arrays.sort(sorted);
        return new Residuals(finite(mean), n < 2 ? null : finite(Math.sqrt(ss / (n - 1))), finite(q(sorted, 0.05)),
                finite(q(sorted, 0.25)), finite(q(sorted, 0.5)), finite(q(sorted, 0.75)), finite(q(sorted, 0.95)), finite(maxAbs));
    }

    private static double q(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : PairedTests.percentile(sorted, p);
    }
}
