package dev.trainlayer.activities.train;

import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelParams;
import dev.trainlayer.workflows.spec.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Class weights for imbalanced labels: the {@code classWeights} parameter every family takes ({@code auto}, the
 * default; {@code balanced}; {@code none}). Balanced weights are {@code n / (k × n_c)} for class c with n_c of the n
 * training rows among k classes (scikit-learn's {@code class_weight="balanced"}): each class weighs as much in the loss
 * as any other. They weigh the training loss and the validation loss that early stopping watches; the metrics
 * reported (validation and test) are never weighted.
 *
 * <p>{@code auto} is {@code balanced} when the rarest class is under {@link #AUTO_BELOW} of the training rows and the
 * metric is {@code roc_auc} (the default), which ranks the rows and does not depend on where the weights move the
 * decision threshold. For the metrics that score the labels or the probabilities ({@code accuracy}, {@code f1},
 * {@code log_loss}) weighting works against the metric: on the imbalanced diamonds table (3% rare class) balanced weights
 * raised the rare class's recall from 0.88 to 0.92 (XGBoost) and 0.84 to 0.94 (MLP) but lowered its F1 from 0.89 to 0.83
 * and 0.85 to 0.59, at the same ROC AUC (docs/benchmarks.md). So {@code auto} is {@code none} for them, and for
 * regression.
 */
public final class ClassWeights {
    public static final String AUTO = "auto";
    public static final String BALANCED = "balanced";
    public static final String NONE = "none";
    /** {@code auto} weighs the classes when the rarest is under this share of the training rows. */
    public static final double AUTO_BELOW = 0.10;

    private ClassWeights() {}

    /** What {@code auto} (or the explicit value) comes to for these labels, and why, for the log. */
    public record Decision(String mode, String reason) {
        public boolean balanced() {
            return BALANCED.equals(mode);
        }
    }

    /** The mode a trial trains with, from its parameter (absent: auto), the task, the metric and the training labels. */
    public static Decision decide(Map<String, Object> params, Task task, Metric metric, float[] labels, int classes,
                                  List<String> classNames) {
        Object given = params == null ? null : params.get(ModelParams.CLASS_WEIGHTS);
        String mode = given == null ? AUTO : String.valueOf(given);
        if (task != Task.CLASSIFICATION || NONE.equals(mode)) {
            return new Decision(NONE, null);
        }
        long[] counts = counts(labels, classes);
        int rarest = 0;
        for (int c = 1; c < classes; c++) {
            if (counts[c] < counts[rarest]) {
                rarest = c;
            }
        }
        double share = labels.length == 0 ? 1 : (double) counts[rarest] / labels.length;
        String name = classNames != null && rarest < classNames.size() ? classNames.get(rarest) : String.valueOf(rarest);
        String why = String.format(Locale.ROOT, "the rarest class '%s' is %.1f%% of the %d training rows", name, 100 * share, labels.length);
        if (BALANCED.equals(mode)) {
            return new Decision(BALANCED, why);
        }
        if (share >= AUTO_BELOW || metric != Metric.ROC_AUC) {
            return new Decision(NONE, null);
        }
        return new Decision(BALANCED, why);
    }

    /** Whether a trial's (resolved) parameters ask for balanced weights. */
    public static boolean balanced(Map<String, Object> params) {
        return params != null && BALANCED.equals(String.valueOf(params.get(ModelParams.CLASS_WEIGHTS)));
    }

    /** Balanced weight of each class, {@code n / (k × n_c)}; a class without training rows weighs 0. */
    public static double[] perClass(float[] labels, int classes) {
        long[] counts = counts(labels, classes);
        double[] w = new double[classes];
        for (int c = 0; c < classes; c++) {
            w[c] = counts[c] == 0 ? 0 : (double) labels.length / ((double) classes * counts[c]);
        }
        return w;
    }

    /** Each row's weight: its class's. */
    public static float[] perRow(float[] labels, double[] perClass) {
        float[] w = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            w[i] = (float) perClass[(int) labels[i]];
        }
        return w;
    }

    /** The per-class weights by class name, for the log and the trial's record. */
    public static Map<String, Double> named(double[] perClass, List<String> classNames) {
        Map<String, Double> out = new HashMap<>();
        for (int c = 0; c < perClass.length; c++) {
            out.put(classNames != null && c < classNames.size() ? classNames.get(c) : String.valueOf(c), perClass[c]);
        }
        return out;
    }

    /** The weighted mean of −log p(true class): the validation loss early stopping watches when classes are weighed. */
    public static double logLoss(double[][] probabilities, float[] labels, double[] perClass) {
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < labels.length; i++) {
            int y = (int) labels[i];
            double w = perClass[y];
            sum += w * -Math.log(Math.max(1e-15, Math.min(1, probabilities[i][y])));
            weights += w;
        }
        return weights == 0 ? Double.NaN : sum / weights;
    }

    private static long[] counts(float[] labels, int classes) {
        long[] counts = new long[Math.max(1, classes)];
        for (float y : labels) {
            int c = (int) y;
            if (c >= 0 && c < counts.length) {
                counts[c]++;
            }
        }
        return counts;
    }
}
