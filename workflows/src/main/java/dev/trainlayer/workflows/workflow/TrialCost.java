package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.spec.ModelParams;
import dev.trainlayer.workflows.spec.ModelType;
import java.util.List;
import java.util.Map;

/**
 * What a finished trial cost, estimated from its configuration, the epochs or rounds it trained and the
 * data's shape, in seconds on one reference core. The search's cost model learns from this estimate rather
 * than from the measured duration so that the same spec, data and seed give the same trials (a measured
 * duration differs from run to run and machine to machine); only ratios between configurations matter.
 *
 * <ul>
 *   <li>MLP: every sample of every epoch costs its forward and backward pass (the weight count) plus its
 *       share of the per-step overhead (optimizer update, JNI calls), which is why small batches are slow.
 *   <li>XGBoost (hist): every round builds histograms over all rows and features once per tree level, one
 *       tree per class for multiclass.
 *   <li>Forest: the same per tree, over the rows each tree samples, for its one round of {@code trees} trees.
 *   <li>Linear: every round visits every row of every feature about {@link #LINEAR_ROW_FEATURE_PASSES} times
 *       (the coordinate updates, then the loss on both splits), per class.
 * </ul>
 * The constants come from trial durations in one run of bench/run-automl-bench.sh (diamonds, ~28k training
 * rows, 26 encoded features, one thread: an XGBoost round of depth 6 took ~20–30 ms, an MLP epoch at batch
 * 32 ~0.5 s, at batch 512 a fraction of that): an MLP step costs about as much as 170,000 weight-sample
 * products, an XGBoost row × feature × level about 2.2. They are rough; what the optimizer needs is which
 * configurations cost several times more than others.
 */
public final class TrialCost {
    static final double SECONDS_PER_UNIT = 2e-9;
    static final double MLP_STEP_OVERHEAD = 170_000;
    static final double XGBOOST_ROW_FEATURE_LEVEL = 2.2;
    static final double LINEAR_ROW_FEATURE_PASSES = 3;

    private TrialCost() {}

    /** Estimated seconds of a trial that trained to its end; null for pruned or failed trials (cut short). */
    public static Double estimate(TrialResult trial, int trainRows, int features, int classes) {
        if (!trial.completed() || trial.epochs() <= 0 || trainRows <= 0 || features <= 0) {
            return null;
        }
        Map<String, Object> params = trial.params();
        String needed = switch (trial.type()) {
            case MLP -> "batchSize";
            case LINEAR -> "lambda";
            case FOREST -> "trees";
            case XGBOOST -> "maxDepth";
        };
        if (params == null || !params.containsKey(needed) || (trial.type() == ModelType.MLP && !params.containsKey("hiddenLayers"))
                || (trial.type() == ModelType.FOREST && !params.containsKey("maxDepth"))) {
            return null;
        }
        double perClass = Math.max(1, classes > 2 ? classes : 1);
        double units = switch (trial.type()) {
            case MLP -> {
                List<Integer> layers = ModelParams.getIntList(params, "hiddenLayers");
                int batch = Math.max(1, ModelParams.getInt(params, "batchSize"));
                double weights = 0;
                int previous = features;
                for (int width : layers) {
                    weights += (double) previous * width;
                    previous = width;
                }
                weights += previous * perClass;
                yield (double) trial.epochs() * trainRows * (weights + MLP_STEP_OVERHEAD / batch);
            }
            case FOREST -> {
                int depth = Math.max(1, ModelParams.getInt(params, "maxDepth"));
                double sampled = params.containsKey("subsample") ? ModelParams.getDouble(params, "subsample") : 1;
                yield (double) ModelParams.getInt(params, "trees") * trainRows * sampled * features * depth
                        * XGBOOST_ROW_FEATURE_LEVEL * perClass;
            }
            case LINEAR -> (double) trial.epochs() * trainRows * features * LINEAR_ROW_FEATURE_PASSES * perClass;
            case XGBOOST -> {
                int depth = Math.max(1, ModelParams.getInt(params, "maxDepth"));
                yield (double) trial.epochs() * trainRows * features * depth * XGBOOST_ROW_FEATURE_LEVEL * perClass;
            }
        };
        return units * SECONDS_PER_UNIT;
    }
}
