package dev.trainlayer.activities.evaluation;

import dev.trainlayer.activities.monitoring.PairedTests;
import dev.trainlayer.scoring.Matrix;
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

    /** The metric of one model on the rows {@code sample} names (with repeats). */
    static double value(Metric metric, EvaluationActivitiesImpl.Scored scored, int[] sample) {
        double[][] outputs = new double[sample.length][];
        float[] labels = new float[sample.length];
        for (int i = 0; i < sample.length; i++) {
            outputs[i] = scored.outputs()[sample[i]];
            labels[i] = scored.labels()[sample[i]];
        }
        Matrix truth = new Matrix(sample.length, 0, new float[0], labels);
        Double v = Metrics.score(outputs, truth, scored.task(), scored.classes()).get(metric.wire());
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

    private static int argmax(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }
}
