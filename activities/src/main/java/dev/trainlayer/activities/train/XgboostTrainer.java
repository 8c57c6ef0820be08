package dev.trainlayer.activities.train;

import dev.trainlayer.scoring.XgboostModel;

import dev.trainlayer.scoring.XgboostMetadata;

import dev.trainlayer.activities.Failures;
import dev.trainlayer.scoring.Metrics;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.activity.IntermediateValue;
import dev.trainlayer.workflows.activity.PruningPlan;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelParams;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains the XGBoost4J families ({@link ModelType#xgboost()}), the model saved as JSON:
 * <ul>
 *   <li>{@code xgboost}: gradient-boosted {@code hist} trees, early stopping on the validation split's loss,
 *       pruning at the plan's check steps;
 *   <li>{@code linear}: {@code gblinear} with cyclic coordinate descent (deterministic), stopped early the same
 *       way; since XGBoost predicts a linear booster with all its rounds, the model kept is the one of the best
 *       round, not the last;
 *   <li>{@code forest}: a random forest, one round of {@code num_parallel_tree} trees with {@code eta} 1 on row
 *       and per-split column samples (XGBoost's random-forest mode).
 * </ul>
 * Threads: this trial's share of the cores ({@link CoreBudget}).
 */
public final class XgboostTrainer {
    /** The linear model's relative gain in validation loss that counts as progress (resets its patience). */
    static final double LINEAR_MIN_GAIN = 1e-4;

    private XgboostTrainer() {}

    /**
     * {@code pruned} is null when training ran to its end or its early stop, else why it was pruned.
     * {@code continuedFrom} is the number of boosting rounds the model started with (0 unless warm-started);
     * the curve and the plan's steps count the rounds trained here.
     */
    public record Result(byte[] modelJson, XgboostMetadata metadata, List<EpochMetrics> curve, Map<String, Double> validationMetrics,
                         List<IntermediateValue> intermediate, String pruned, int continuedFrom) {
        /** Rounds trained by this call. */
        public int roundsTrained() {
            return metadata.rounds() - continuedFrom;
        }

        /** The best round among those trained here, 0 when none beat the model it continued. */
        public int bestRoundTrained() {
            return Math.max(0, metadata.bestIteration() + 1 - continuedFrom);
        }
    }

    /**
     * A trained booster to continue (incremental training): boosting goes on from its best iteration (the
     * rounds early stopping kept past it are dropped), and its validation loss is the bar new rounds must beat.
     */
    public record WarmStart(byte[] modelJson, XgboostMetadata metadata) {}

    /**
     * Called after every boosting round with its point of the curve (the validation metric is NaN except at
     * check steps) and the best round so far; returns why to stop here (the trial is then pruned), or null.
     */
    public interface Progress {
        String onRound(EpochMetrics point, int bestRound);

        /** Asked after every round: whether to stop here and keep the best round so far (the trial completes). */
        default boolean finishNow() {
            return false;
        }

        /** The plan to check {@code round} against, asked at each check step (the search's bars as they stand). */
        default PruningPlan plan(int round, PruningPlan current) {
            return current;
        }
    }

    public static Result train(Matrix train, Matrix validation, Task task, int classes, Metric metric,
                               Map<String, Object> params, long seed) {
        return train(train, validation, task, classes, metric, params, seed, null, (point, best) -> null);
    }

    public static Result train(Matrix train, Matrix validation, Task task, int classes, Metric metric,
                               Map<String, Object> params, long seed, PruningPlan pruning, Progress progress) {
        return train(train, validation, task, classes, metric, params, seed, pruning, progress, null);
    }

    public static Result train(Matrix train, Matrix validation, Task task, int classes, Metric metric,
                               Map<String, Object> params, long seed, PruningPlan pruning, Progress progress, WarmStart warm) {
        return train(ModelType.XGBOOST, train, validation, task, classes, metric, params, seed, pruning, progress, warm);
    }

    /** One model of {@code family} (an XGBoost4J family); {@code warm} only for {@code xgboost}. */
    public static Result train(ModelType family, Matrix train, Matrix validation, Task task, int classes, Metric metric,
                               Map<String, Object> params, long seed, PruningPlan pruning, Progress progress, WarmStart warm) {
        if (!family.xgboost()) {
            throw new IllegalArgumentException(family.wire() + " is not trained with XGBoost");
        }
        if (warm != null && !family.continuable()) {
            throw Failures.nonRetryable(FailureTypes.INCOMPATIBLE_MODEL, "a " + family.wire() + " model cannot be continued; "
                    + "train it from scratch");
        }
        try (CoreBudget.Lease lease = CoreBudget.start()) {
            return train(family, train, validation, task, classes, metric, params, seed, pruning, progress, warm, lease);
        }
    }

    /** The forest's trees are barely regularized: each is one averaged vote, not a boosting step. */
    static final double FOREST_LAMBDA = 1e-5;

    /** The booster's parameters for {@code family}, from the candidate's (resolved) parameters; no threads, objective or seed. */
    static Map<String, Object> boosterParams(ModelType family, Map<String, Object> params) {
        Map<String, Object> booster = new HashMap<>();
        switch (family) {
            case LINEAR -> {
                booster.put("booster", "gblinear");
                // Coordinate descent visiting the features in order: the same model for the same data, unlike
                // the default "shotgun" updater, which updates features in parallel, racing.
                booster.put("updater", "coord_descent");
                booster.put("feature_selector", "cyclic");
                booster.put("lambda", ModelParams.getDouble(params, "lambda"));
                booster.put("alpha", ModelParams.getDouble(params, "alpha"));
                booster.put("eta", ModelParams.getDouble(params, "eta"));
            }
            case FOREST -> {
                trees(booster, params);
                booster.put("num_parallel_tree", ModelParams.getInt(params, "trees"));
                // Averaged, not boosted: one round with the full step, as XGBoost's XGBRF* estimators do.
                booster.put("eta", 1.0);
                booster.put("lambda", FOREST_LAMBDA);
                booster.put("colsample_bynode", ModelParams.getDouble(params, "colsampleBynode"));
            }
            case XGBOOST -> {
                trees(booster, params);
                booster.put("eta", ModelParams.getDouble(params, "eta"));
                booster.put("lambda", ModelParams.getDouble(params, "lambda"));
                booster.put("colsample_bytree", ModelParams.getDouble(params, "colsampleBytree"));
            }
            default -> throw new IllegalArgumentException(family.wire() + " is not trained with XGBoost");
        }
        return booster;
    }

    /** What the boosted trees and the forest's trees share: hist trees, their depth, row sample and leaf weight. */
    private static void trees(Map<String, Object> booster, Map<String, Object> params) {
        booster.put("tree_method", "hist");
        booster.put("max_depth", ModelParams.getInt(params, "maxDepth"));
        booster.put("subsample", ModelParams.getDouble(params, "subsample"));
        booster.put("min_child_weight", ModelParams.getDouble(params, "minChildWeight"));
    }

    /** With {@code lease}'s share of the cores, re-read every round (see {@link CoreBudget}). */
    private static Result train(ModelType family, Matrix train, Matrix validation, Task task, int classes, Metric metric,
                                Map<String, Object> params, long seed, PruningPlan pruning, Progress progress, WarmStart warm,
                                CoreBudget.Lease lease) {
        if (warm != null && (warm.metadata().inputs() != train.cols() || warm.metadata().task() != task
                || warm.metadata().classes() != classes)) {
            throw Failures.nonRetryable(FailureTypes.INCOMPATIBLE_MODEL,
                    "the booster to continue takes " + warm.metadata().inputs() + " features and " + warm.metadata().classes()
                    + " classes; the data encodes to " + train.cols() + " features and " + classes + " classes. Train it from scratch");
        }
        Map<String, Object> booster = boosterParams(family, params);
        int threads = lease.threads();
        booster.put("nthread", threads);
        booster.put("seed", seed);
        booster.put("verbosity", 0);
        // XGBoost4J prints every round's evaluation to stdout unless told not to; the curve is kept instead.
        booster.put("verbose_eval", 0);
        String evalMetric;
        if (task == Task.REGRESSION) {
            booster.put("objective", "reg:squarederror");
            evalMetric = "rmse";
        } else if (classes == 2) {
            booster.put("objective", "binary:logistic");
            evalMetric = "logloss";
        } else {
            booster.put("objective", "multi:softprob");
            booster.put("num_class", classes);
            evalMetric = "mlogloss";
        }
        booster.put("eval_metric", evalMetric);
        boolean forest = family == ModelType.FOREST;
        int rounds = forest ? 1 : ModelParams.getInt(params, "numRounds");
        int patience = forest ? 1 : ModelParams.getInt(params, "earlyStoppingRounds");
        PruningPlan plan = pruning == null ? PruningPlan.recordOnly(new dev.trainlayer.workflows.spec.ModelCandidate(
                family, null, params), metric) : pruning;
        // A linear booster predicts with all its rounds: the best round's model is kept as it is reached.
        byte[] bestLinear = null;
        java.util.Set<Integer> steps = new java.util.HashSet<>(plan.steps());
        DMatrix dtrain = null;
        DMatrix dvalid = null;
        Booster model = null;
        try {
            dtrain = matrix(train);
            dvalid = matrix(validation);
            if (task == Task.CLASSIFICATION && ClassWeights.balanced(params)) {
                // Balanced class weights on the training rows and on the validation loss that early stopping watches.
                double[] weights = ClassWeights.perClass(train.labels(), classes);
                dtrain.setWeight(ClassWeights.perRow(train.labels(), weights));
                dvalid.setWeight(ClassWeights.perRow(validation.labels(), weights));
            }
            DMatrix[] evals = {dtrain, dvalid};
            String[] names = {"train", "validation"};
            float[] losses = new float[2];
            // Iterations count from the start of the booster; rounds (the curve, the plan's steps) from this call.
            int base = 0;
            int best = 0;
            double bestLoss = Double.POSITIVE_INFINITY;
            if (warm == null) {
                model = XGBoost.train(dtrain, booster, 0, Map.of(), null, null);
            } else {
                base = warm.metadata().bestIteration() + 1;
                model = XGBoost.loadModel(XgboostModels.truncate(warm.modelJson(), base));
                model.setParams(booster);
                model.evalSet(evals, names, base - 1, losses);
                best = base - 1;
                bestLoss = losses[1];
            }
            // Round by round rather than one XGBoost.train call, so the trial can report its validation value
            // at the check steps and stop when pruned. Same updates and early-stopping rule as XGBoost.train.
            // Rounds since the last one that counted as progress end the training after the patience. For the trees
            // that is the best round; the linear model's loss creeps down for hundreds of rounds once it has
            // converged for any practical purpose, so only a round that beats the best by LINEAR_MIN_GAIN counts.
            double minGain = family == ModelType.LINEAR ? LINEAR_MIN_GAIN : 0;
            int progressed = best;
            List<EpochMetrics> curve = new ArrayList<>();
            List<IntermediateValue> intermediate = new ArrayList<>();
            String pruned = null;
            int ran = 0;
            for (int round = 0; round < rounds; round++) {
                int iteration = base + round;
                int share = lease.threads();
                if (share != threads) {
                    // Another trial started or ended: take this trial's new share (the model does not depend on it).
                    model.setParam("nthread", share);
                    threads = share;
                }
                model.update(dtrain, iteration);
                model.evalSet(evals, names, iteration, losses);
                ran = round + 1;
                if (losses[1] < bestLoss) {
                    if (bestLoss == Double.POSITIVE_INFINITY || losses[1] < bestLoss - minGain * bestLoss) {
                        progressed = iteration;
                    }
                    bestLoss = losses[1];
                    best = iteration;
                    if (family == ModelType.LINEAR) {
                        bestLinear = model.toByteArray("json");
                    }
                }
                double value = Double.NaN;
                if (steps.contains(ran)) {
                    XgboostMetadata sofar = new XgboostMetadata(1, task, classes, train.cols(), best, base + ran, evalMetric);
                    value = Metrics.score(XgboostModel.predict(model, sofar, dvalid, validation.rows()), validation, task, classes)
                            .getOrDefault(metric.wire(), Double.NaN);
                    intermediate.add(new IntermediateValue(ran, value));
                }
                EpochMetrics point = new EpochMetrics(ran, losses[0], losses[1], value);
                curve.add(point);
                String stop = progress.onRound(point, Math.max(0, best + 1 - base));
                if (stop != null) {
                    pruned = stop;
                    break;
                }
                if (steps.contains(ran)) {
                    plan = progress.plan(ran, plan);
                    pruned = plan.check(ran, value).orElse(null);
                    if (pruned != null) {
                        break;
                    }
                }
                if (iteration - progressed >= patience || progress.finishNow()) {
                    break;
                }
            }
            if (bestLinear != null && best < base + ran - 1) {
                model.dispose();
                model = null;
                model = XGBoost.loadModel(bestLinear);
                model.setParam("nthread", threads);
            }
            XgboostMetadata metadata = new XgboostMetadata(1, task, classes, train.cols(), best, base + ran, evalMetric);
            double[][] predicted = XgboostModel.predict(model, metadata, dvalid, validation.rows());
            Map<String, Double> scores = Metrics.score(predicted, validation, task, classes);
            return new Result(model.toByteArray("json"), metadata, curve, scores, intermediate, pruned, base);
        } catch (XGBoostError | java.io.IOException e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        } finally {
            if (model != null) {
                model.dispose();
            }
            if (dtrain != null) {
                dtrain.dispose();
            }
            if (dvalid != null) {
                dvalid.dispose();
            }
        }
    }

    static DMatrix matrix(Matrix m) throws XGBoostError {
        return XgboostModel.matrix(m);
    }
}
