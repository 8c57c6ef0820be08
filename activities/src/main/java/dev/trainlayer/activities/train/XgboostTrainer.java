package dev.trainlayer.activities.train;

import dev.trainlayer.activities.evaluation.Metrics;
import dev.trainlayer.activities.features.Matrix;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelParams;
import dev.trainlayer.workflows.spec.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains gradient-boosted trees with XGBoost4J: {@code hist} trees, early stopping on the validation
 * split's loss, and the model saved as JSON. Threads: {@code trainlayer.xgboost.nthread} (system
 * property), default all cores.
 */
public final class XgboostTrainer {
    private XgboostTrainer() {}

    public record Result(byte[] modelJson, XgboostMetadata metadata, List<EpochMetrics> curve, Map<String, Double> validationMetrics) {}

    public static int threads() {
        return Integer.getInteger("trainlayer.xgboost.nthread", Runtime.getRuntime().availableProcessors());
    }

    public static Result train(Matrix train, Matrix validation, Task task, int classes, Metric metric,
                               Map<String, Object> params, long seed) {
        Map<String, Object> booster = new HashMap<>();
        booster.put("tree_method", "hist");
        booster.put("max_depth", ModelParams.getInt(params, "maxDepth"));
        booster.put("eta", ModelParams.getDouble(params, "eta"));
        booster.put("subsample", ModelParams.getDouble(params, "subsample"));
        booster.put("colsample_bytree", ModelParams.getDouble(params, "colsampleBytree"));
        booster.put("min_child_weight", ModelParams.getDouble(params, "minChildWeight"));
        booster.put("lambda", ModelParams.getDouble(params, "lambda"));
        booster.put("nthread", threads());
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
        int rounds = ModelParams.getInt(params, "numRounds");
        int patience = ModelParams.getInt(params, "earlyStoppingRounds");
        DMatrix dtrain = null;
        DMatrix dvalid = null;
        try {
            dtrain = matrix(train);
            dvalid = matrix(validation);
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            watches.put("train", dtrain);
            watches.put("validation", dvalid); // last watch: the one early stopping follows
            float[][] history = new float[2][rounds];
            Booster model = XGBoost.train(dtrain, booster, rounds, watches, history, null, null, patience);
            try {
                int ran = model.getNumBoostedRound();
                String bestAttr = model.getAttr("best_iteration");
                int best = bestAttr == null ? ran - 1 : Integer.parseInt(bestAttr.trim());
                XgboostMetadata metadata = new XgboostMetadata(1, task, classes, train.cols(), best, ran, evalMetric);
                List<EpochMetrics> curve = new ArrayList<>();
                for (int r = 0; r < ran && r < rounds; r++) {
                    curve.add(new EpochMetrics(r + 1, history[0][r], history[1][r], Double.NaN));
                }
                double[][] predicted = XgboostModel.predict(model, metadata, validation);
                Map<String, Double> scores = Metrics.score(predicted, validation, task, classes);
                return new Result(model.toByteArray("json"), metadata, curve, scores);
            } finally {
                model.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        } finally {
            if (dtrain != null) {
                dtrain.dispose();
            }
            if (dvalid != null) {
                dvalid.dispose();
            }
        }
    }

    static DMatrix matrix(Matrix m) throws XGBoostError {
        DMatrix d = new DMatrix(m.values(), m.rows(), m.cols(), Float.NaN);
        d.setLabel(m.labels());
        return d;
    }
}
