package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.scoring.Metrics;
import dev.trainlayer.scoring.XgboostModel;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.Task;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two cheap baseline families trained with XGBoost4J: the regularized linear model ({@code gblinear}) and the
 * random forest (one round of parallel trees). Each learns real rows, gives the same bytes for the same seed on any
 * thread count, and is saved as the model its metrics describe.
 */
class XgboostFamiliesTest {
    static Matrix train;
    static Matrix validation;

    @BeforeAll
    static void data() throws Exception {
        Matrix[] rows = BreastCancer.encoded(0.2, 0.2, 5);
        train = rows[0];
        validation = rows[1];
    }

    static XgboostTrainer.Result train(ModelType family, Matrix train, Matrix validation, Task task, Map<String, Object> params,
                                       List<EpochMetrics> curve) {
        Map<String, Object> resolved = new HashMap<>(family.defaults());
        resolved.putAll(params);
        return XgboostTrainer.train(family, train, validation, task, task == Task.REGRESSION ? 0 : 2,
                task == Task.REGRESSION ? Metric.RMSE : Metric.ROC_AUC, resolved, 11, null, (point, best) -> {
                    curve.add(point);
                    return null;
                }, null);
    }

    /** What the saved model predicts on the validation rows, scored as the trainer scores them. */
    static double rescored(XgboostTrainer.Result r, Matrix rows, Task task, Metric metric) {
        try (XgboostModel model = XgboostModel.load(r.modelJson(), r.metadata())) {
            return Metrics.score(model.predict(rows), rows, task, task == Task.REGRESSION ? 0 : 2).get(metric.wire());
        }
    }

    @Test
    void theLinearModelLearnsAndKeepsItsBestRound() {
        List<EpochMetrics> curve = new ArrayList<>();
        XgboostTrainer.Result r = train(ModelType.LINEAR, train, validation, Task.CLASSIFICATION, Map.of(), curve);
        double auc = r.validationMetrics().get("roc_auc");
        assertTrue(auc > 0.97, "logistic regression separates the breast-cancer classes: ROC AUC " + auc);
        assertTrue(r.metadata().rounds() > 1 && r.metadata().rounds() <= 500, "rounds " + r.metadata().rounds());
        assertEquals(auc, rescored(r, validation, Task.CLASSIFICATION, Metric.ROC_AUC), 1e-12,
                "the saved model is the one the metrics describe");
        assertTrue(new String(r.modelJson(), java.nio.charset.StandardCharsets.UTF_8).contains("\"gblinear\""));
    }

    @Test
    void theLinearModelSavedIsTheBestRoundsNotTheLast() {
        // A large step with no penalty on a tiny, noisy training set overfits: the validation loss turns up, so the
        // run goes on for its patience past the best round, and the model kept must be the best round's.
        Matrix small = rows(train, 0, 40);
        List<EpochMetrics> curve = new ArrayList<>();
        XgboostTrainer.Result r = train(ModelType.LINEAR, small, validation, Task.CLASSIFICATION,
                Map.of("eta", 1.0, "lambda", 0.0, "alpha", 0.0, "earlyStoppingRounds", 5), curve);
        int best = r.metadata().bestIteration();
        assertTrue(best < r.metadata().rounds() - 1, "stopped " + (r.metadata().rounds() - 1 - best) + " rounds past its best");
        double bestLoss = curve.get(best).validationLoss();
        for (EpochMetrics p : curve) {
            assertTrue(p.validationLoss() >= bestLoss, "round " + p.epoch() + " beat the best round");
        }
        assertEquals(bestLoss, rescored(r, validation, Task.CLASSIFICATION, Metric.LOG_LOSS), 1e-5,
                "the saved model has the best round's validation loss");
        assertTrue(curve.get(curve.size() - 1).validationLoss() > bestLoss + 1e-4, "and the last round's is worse");
    }

    @Test
    void theForestLearnsInOneRound() {
        List<EpochMetrics> curve = new ArrayList<>();
        XgboostTrainer.Result r = train(ModelType.FOREST, train, validation, Task.CLASSIFICATION, Map.of("trees", 50), curve);
        double auc = r.validationMetrics().get("roc_auc");
        assertTrue(auc > 0.95, "the forest separates the classes: ROC AUC " + auc);
        assertEquals(1, r.metadata().rounds());
        assertEquals(1, curve.size());
        assertEquals(auc, rescored(r, validation, Task.CLASSIFICATION, Metric.ROC_AUC), 1e-12);
        assertTrue(new String(r.modelJson(), java.nio.charset.StandardCharsets.UTF_8).contains("\"num_parallel_tree\":\"50\""));
    }

    @Test
    void onANonLinearTargetTheForestBeatsTheLinearModelAndOnALinearOneTheLinearModelWins() {
        Matrix[] curved = regression(4000, true);
        double forest = train(ModelType.FOREST, curved[0], curved[1], Task.REGRESSION, Map.of("trees", 40), new ArrayList<>())
                .validationMetrics().get("rmse");
        double linear = train(ModelType.LINEAR, curved[0], curved[1], Task.REGRESSION, Map.of(), new ArrayList<>())
                .validationMetrics().get("rmse");
        assertTrue(forest < 0.8 * linear, "y = sin(3a)·b + noise: forest RMSE " + forest + ", linear " + linear);

        Matrix[] straight = regression(4000, false);
        double forest2 = train(ModelType.FOREST, straight[0], straight[1], Task.REGRESSION, Map.of("trees", 40), new ArrayList<>())
                .validationMetrics().get("rmse");
        double linear2 = train(ModelType.LINEAR, straight[0], straight[1], Task.REGRESSION, Map.of(), new ArrayList<>())
                .validationMetrics().get("rmse");
        assertTrue(linear2 < forest2, "y = 2a - 3b + c + noise: linear RMSE " + linear2 + ", forest " + forest2);
        assertTrue(linear2 < 0.35, "the linear model recovers a linear target to about its noise (0.3): " + linear2);
    }

    @Test
    void bothGiveTheSameBytesForTheSameSeedOnAnyThreadCount() {
        for (ModelType family : List.of(ModelType.LINEAR, ModelType.FOREST)) {
            Map<String, Object> params = family == ModelType.FOREST ? Map.of("trees", 30) : Map.of();
            byte[] one = ThreadCountInvarianceTest.withThreads(1,
                    () -> train(family, train, validation, Task.CLASSIFICATION, params, new ArrayList<>()).modelJson());
            for (int threads : new int[] {1, 2, 3}) {
                byte[] more = ThreadCountInvarianceTest.withThreads(threads,
                        () -> train(family, train, validation, Task.CLASSIFICATION, params, new ArrayList<>()).modelJson());
                assertArrayEquals(one, more, family.wire() + ": the same model on 1 and " + threads + " threads");
            }
        }
    }

    @Test
    void neitherCanBeContinued() {
        XgboostTrainer.Result forest = train(ModelType.FOREST, train, validation, Task.CLASSIFICATION, Map.of("trees", 5),
                new ArrayList<>());
        Map<String, Object> params = new HashMap<>(ModelType.FOREST.defaults());
        ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> XgboostTrainer.train(ModelType.FOREST, train, validation,
                Task.CLASSIFICATION, 2, Metric.ROC_AUC, params, 1, null, (p, b) -> null,
                new XgboostTrainer.WarmStart(forest.modelJson(), forest.metadata())));
        assertEquals(FailureTypes.INCOMPATIBLE_MODEL, e.getType());
        assertTrue(e.getOriginalMessage().contains("forest model cannot be continued"), e.getOriginalMessage());
    }

    /** Five standard-normal features; y from the first three (curved or straight) plus noise of 0.3; train and validation. */
    static Matrix[] regression(int rows, boolean curved) {
        Random random = new Random(curved ? 1 : 2);
        Matrix[] out = new Matrix[2];
        for (int part = 0; part < 2; part++) {
            int n = part == 0 ? rows : rows / 4;
            int cols = 5;
            float[] x = new float[n * cols];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < cols; c++) {
                    x[i * cols + c] = (float) random.nextGaussian();
                }
                double a = x[i * cols];
                double b = x[i * cols + 1];
                double c = x[i * cols + 2];
                y[i] = (float) ((curved ? 2 * Math.sin(3 * a) * b : 2 * a - 3 * b + c) + 0.3 * random.nextGaussian());
            }
            out[part] = new Matrix(n, cols, x, y);
        }
        return out;
    }

    static Matrix rows(Matrix m, int from, int to) {
        float[] x = java.util.Arrays.copyOfRange(m.values(), from * m.cols(), to * m.cols());
        float[] y = java.util.Arrays.copyOfRange(m.labels(), from, to);
        return new Matrix(to - from, m.cols(), x, y);
    }
}
