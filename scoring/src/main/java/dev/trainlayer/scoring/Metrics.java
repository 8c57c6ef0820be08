package dev.trainlayer.scoring;

import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.Task;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Evaluation metrics over predictions. Classification takes class probabilities and label indices
 * (-1 marks a label the model never saw: a miss for accuracy, F1 and log loss, skipped by ROC AUC).
 */
public final class Metrics {
    /** Probabilities are clipped here so a confident miss costs a large but finite log loss. */
    static final double EPS = 1e-15;

    private Metrics() {}

    /**
     * Scores predictions ({@code [rows][classes]} probabilities, or {@code [rows][1]} values) against the
     * labels of an encoded matrix.
     */
    public static Map<String, Double> score(double[][] predicted, Matrix truth, Task task, int classes) {
        if (task == Task.CLASSIFICATION) {
            int[] y = new int[truth.rows()];
            for (int i = 0; i < y.length; i++) {
                y[i] = (int) truth.labels()[i];
            }
            return classification(predicted, y, classes);
        }
        double[] p = new double[truth.rows()];
        double[] a = new double[truth.rows()];
        for (int i = 0; i < p.length; i++) {
            p[i] = predicted[i][0];
            a[i] = truth.labels()[i];
        }
        return regression(p, a);
    }

    public static Map<String, Double> classification(double[][] probabilities, int[] labels, int classes) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(Metric.ACCURACY.wire(), accuracy(probabilities, labels));
        out.put(Metric.F1.wire(), f1(probabilities, labels, classes));
        out.put(Metric.ROC_AUC.wire(), rocAuc(probabilities, labels, classes));
        out.put(Metric.LOG_LOSS.wire(), logLoss(probabilities, labels));
        return out;
    }

    public static Map<String, Double> regression(double[] predicted, double[] actual) {
        Map<String, Double> out = new LinkedHashMap<>();
        double se = 0, ae = 0, mean = Arrays.stream(actual).average().orElse(0), ss = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = predicted[i] - actual[i];
            se += d * d;
            ae += Math.abs(d);
            ss += (actual[i] - mean) * (actual[i] - mean);
        }
        int n = Math.max(1, actual.length);
        out.put(Metric.RMSE.wire(), Math.sqrt(se / n));
        out.put(Metric.MAE.wire(), ae / n);
        out.put(Metric.R2.wire(), ss == 0 ? 0.0 : 1 - se / ss);
        return out;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    public static double accuracy(double[][] p, int[] y) {
        int hit = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= 0 && argmax(p[i]) == y[i]) {
                hit++;
            }
        }
        return y.length == 0 ? Double.NaN : (double) hit / y.length;
    }

    /** Binary: F1 of the second class (index 1). Multiclass: macro average over classes. */
    public static double f1(double[][] p, int[] y, int classes) {
        if (classes == 2) {
            return f1For(p, y, 1);
        }
        return IntStream.range(0, classes).mapToDouble(k -> f1For(p, y, k)).average().orElse(Double.NaN);
    }

    private static double f1For(double[][] p, int[] y, int k) {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < y.length; i++) {
            boolean predicted = argmax(p[i]) == k;
            boolean actual = y[i] == k;
            if (predicted && actual) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            }
        }
        return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** Binary: AUC of the second class's probability. Multiclass: macro one-vs-rest over classes present. */
    public static double rocAuc(double[][] p, int[] y, int classes) {
        if (classes == 2) {
            return aucFor(p, y, 1);
        }
        return IntStream.range(0, classes).mapToDouble(k -> aucFor(p, y, k)).filter(d -> !Double.isNaN(d))
                .average().orElse(Double.NaN);
    }

    /** Mann–Whitney U with average ranks for ties; NaN when only one side is present. */
    static double aucFor(double[][] p, int[] y, int k) {
        Integer[] idx = IntStream.range(0, y.length).filter(i -> y[i] >= 0).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.comparingDouble(i -> p[i][k]));
        double rankSumPos = 0;
        long pos = 0, neg = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && p[idx[j + 1]][k] == p[idx[i]][k]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (y[idx[t]] == k) {
                    rankSumPos += avgRank;
                    pos++;
                } else {
                    neg++;
                }
            }
            i = j + 1;
        }
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    public static double logLoss(double[][] p, int[] y) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double q = y[i] >= 0 && y[i] < p[i].length ? p[i][y[i]] : 0;
            sum -= Math.log(Math.min(1 - EPS, Math.max(EPS, q)));
        }
        return y.length == 0 ? Double.NaN : sum / y.length;
    }
}
