package dev.trainlayer.activities.evaluation;

import dev.trainlayer.activities.monitoring.PairedTests;
import dev.trainlayer.scoring.Metrics;
import dev.trainlayer.workflows.activity.PairedComparison;
import dev.trainlayer.workflows.spec.GatesSpec;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.Task;

/**
 * Is the challenger significantly better than the champion on the same test rows? Each model is scored with its own
 * feature pipeline (a champion may know other classes or columns), so each side's metric on a resample is computed
 * from its own outputs and labels, over the same row indices.
 */
final class Significance {
    private Significance() {}

    static PairedComparison compare(GatesSpec.Significance spec, Metric primary, EvaluationActivitiesImpl.Scored challenger,
                                    EvaluationActivitiesImpl.Scored champion, long seed) {
        int rows = challenger.outputs().length;
        boolean mcnemar = GatesSpec.Significance.MCNEMAR.equals(spec.test());
        Metric metric = mcnemar ? Metric.ACCURACY : primary;
        PairedTests.Bootstrap boot = PairedTests.bootstrap(rows,
                sample -> improvement(metric, value(metric, challenger, sample), value(metric, champion, sample)),
                spec.resamples(), spec.alpha(), seed);
        double p = boot.pValue();
        if (mcnemar) {
            boolean[] challengerRight = right(challenger);
            boolean[] championRight = right(champion);
            p = PairedTests.mcnemar(challengerRight, championRight);
        }
        double improvement = boot.observed();
        boolean significant = p < spec.alpha() && improvement > 0;
        return new PairedComparison(spec.test(), metric.wire(), spec.alpha(), improvement, boot.low(), boot.high(), p,
                significant, rows, boot.resamples());
    }

    static double improvement(Metric metric, double challenger, double champion) {
        if (Double.isNaN(challenger) || Double.isNaN(champion)) {
            return Double.NaN;
        }
        return metric.higherIsBetter() ? challenger - champion : champion - challenger;
    }

    /** The metric of one model on the rows {@code sample} names (with repeats): only that metric is computed. */
    static double value(Metric metric, EvaluationActivitiesImpl.Scored scored, int[] sample) {
        double[][] outputs = new double[sample.length][];
        int n = sample.length;
        if (scored.task() == Task.CLASSIFICATION) {
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                outputs[i] = scored.outputs()[sample[i]];
                labels[i] = (int) scored.labels()[sample[i]];
            }
            return switch (metric) {
                case ACCURACY -> Metrics.accuracy(outputs, labels);
                case F1 -> Metrics.f1(outputs, labels, scored.classes());
                case ROC_AUC -> Metrics.rocAuc(outputs, labels, scored.classes());
                case LOG_LOSS -> Metrics.logLoss(outputs, labels);
                default -> Double.NaN;
            };
        }
        double[] predicted = new double[n];
        double[] actual = new double[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = scored.outputs()[sample[i]][0];
            actual[i] = scored.labels()[sample[i]];
        }
        Double v = Metrics.regression(predicted, actual).get(metric.wire());
        return v == null ? Double.NaN : v;
    }

    private static boolean[] right(EvaluationActivitiesImpl.Scored scored) {
        boolean[] right = new boolean[scored.outputs().length];
        for (int i = 0; i < right.length; i++) {
            int label = (int) scored.labels()[i];
            right[i] = scored.task() == Task.CLASSIFICATION && label >= 0 && argmax(scored.outputs()[i]) == label;
        }
        return right;
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
}
