package dev.trainlayer.activities.train;

import dev.trainlayer.scoring.MlpArchitecture;

import dev.trainlayer.scoring.XgboostMetadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.activities.features.FeaturePipeline;
import dev.trainlayer.scoring.FittedPipeline;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.activities.features.Splitter;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.spec.FeaturesSpec;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.Task;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Incremental training: a model trained on older rows goes on training on newer ones. The older model is
 * the bar: what comes back is never worse than it on the validation rows.
 */
class WarmStartTest {
    static Matrix older;
    static Matrix newer;
    static Matrix validation;

    @BeforeAll
    static void data() throws Exception {
        BreastCancer data = BreastCancer.split(0.2, 0.2, 3);
        Table table = data.table();
        Splitter.Split split = data.split();
        int[] train = split.train();
        int half = train.length / 2;
        FittedPipeline p = FeaturePipeline.fit(table.select(java.util.Arrays.copyOf(train, half)), "diagnosis",
                Task.CLASSIFICATION, List.of("benign", "malignant"), FeaturesSpec.EMPTY).pipeline();
        older = p.transform(table.select(java.util.Arrays.copyOf(train, half)));
        newer = p.transform(table.select(java.util.Arrays.copyOfRange(train, half, train.length)));
        validation = p.transform(table.select(split.validation()));
    }

    static Map<String, Object> xgboost(int rounds, int patience) {
        Map<String, Object> params = new TreeMap<>(ModelType.XGBOOST.defaults());
        params.put("numRounds", rounds);
        params.put("earlyStoppingRounds", patience);
        return params;
    }

    @Test
    void truncatingABoosterKeepsItsPredictionsUpToThatIteration() throws Exception {
        XgboostTrainer.Result r = XgboostTrainer.train(older, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, xgboost(300, 15), 1);
        int kept = r.metadata().bestIteration() + 1;
        assertTrue(r.metadata().rounds() > kept, "early stopping left rounds past the best one");
        Booster full = XGBoost.loadModel(r.modelJson());
        Booster cut = XGBoost.loadModel(XgboostModels.truncate(r.modelJson(), kept));
        DMatrix d = XgboostTrainer.matrix(validation);
        try {
            assertEquals(kept, cut.getNumBoostedRound());
            float[][] expected = full.predict(d, false, kept);
            float[][] actual = cut.predict(d);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], actual[i], 0f, "row " + i);
            }
        } finally {
            d.dispose();
            full.dispose();
            cut.dispose();
        }
        ApplicationFailure tooMany = assertThrows(ApplicationFailure.class,
                () -> XgboostModels.truncate(r.modelJson(), r.metadata().rounds() + 1));
        assertEquals(FailureTypes.INCOMPATIBLE_MODEL, tooMany.getType());
    }

    @Test
    void boostingContinuesFromTheBestIterationAndNeverEndsWorse() {
        XgboostTrainer.Result first = XgboostTrainer.train(older, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, xgboost(300, 15), 1);
        Map<String, Object> params = xgboost(40, 10);
        params.put("eta", 0.05);
        XgboostTrainer.Result next = XgboostTrainer.train(newer, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, params, 1,
                null, (point, best) -> null, new XgboostTrainer.WarmStart(first.modelJson(), first.metadata()));
        int base = first.metadata().bestIteration() + 1;
        assertEquals(base, next.continuedFrom());
        assertEquals(base + next.roundsTrained(), next.metadata().rounds());
        assertEquals(next.roundsTrained(), next.curve().size(), "the curve counts the rounds trained here");
        assertTrue(next.metadata().bestIteration() >= base - 1);
        double before = first.validationMetrics().get("log_loss");
        double after = next.validationMetrics().get("log_loss");
        assertTrue(after <= before + 1e-6, "continued " + after + " vs the model it started from " + before);

        XgboostTrainer.WarmStart wrongShape = new XgboostTrainer.WarmStart(first.modelJson(),
                new XgboostMetadata(1, Task.CLASSIFICATION, 2, older.cols() + 1, first.metadata().bestIteration(), 10, "logloss"));
        ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> XgboostTrainer.train(newer, validation,
                Task.CLASSIFICATION, 2, Metric.LOG_LOSS, params, 1, null, (p, b) -> null, wrongShape));
        assertEquals(FailureTypes.INCOMPATIBLE_MODEL, e.getType());
    }

    @Test
    void theNetworkContinuesFromItsWeightsAndNeverEndsWorse() {
        MlpTrainer.Options options = new MlpTrainer.Options(List.of(16), 0.0, 1e-3, 1e-4, 32, 12, 100);
        MlpTrainer.Result first = MlpTrainer.train(older, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, options, 5,
                Device.cpu(), null, (s, l, b) -> true);
        MlpTrainer.Options further = new MlpTrainer.Options(List.of(16), 0.0, 5e-4, 1e-4, 32, 4, 100);
        MlpTrainer.Result scratch = MlpTrainer.train(newer, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, further, 5,
                Device.cpu(), null, (s, l, b) -> true);
        MlpTrainer.Result next = MlpTrainer.train(newer, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, further, 5,
                Device.cpu(), null, new MlpTrainer.WarmStart(first.architecture(), first.bestParameters()), (s, l, b) -> true);
        assertEquals(first.architecture(), next.architecture());
        assertEquals(4, next.state().curve().size());
        double startedAt = first.state().bestLoss();
        assertTrue(next.state().bestLoss() <= startedAt + 1e-9, "continued " + next.state().bestLoss() + " vs " + startedAt);
        // Epoch 1 of the continued network is close to where the first one ended; from scratch it is far off.
        double warmEpoch1 = next.state().curve().get(0).validationLoss();
        double coldEpoch1 = scratch.state().curve().get(0).validationLoss();
        assertTrue(warmEpoch1 < coldEpoch1 / 2, "warm epoch 1 " + warmEpoch1 + " vs from scratch " + coldEpoch1);

        // A continued trial resumed after a crash, whose checkpoint holds no better epoch than its start: the
        // network it continued is still the result.
        byte[][] latest = new byte[1][];
        MlpTrainer.State[] at = new MlpTrainer.State[1];
        MlpTrainer.train(newer, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, further, 5, Device.cpu(), null,
                new MlpTrainer.WarmStart(first.architecture(), first.bestParameters()), (s, l, b) -> {
                    latest[0] = l.get();
                    at[0] = s;
                    return s.epoch() < 2;
                });
        MlpTrainer.State noBetter = new MlpTrainer.State(at[0].epoch(), 0, startedAt, at[0].epoch(), first.state().bestMetrics(),
                at[0].curve());
        MlpTrainer.Options twoEpochs = new MlpTrainer.Options(List.of(16), 0.0, 5e-4, 1e-4, 32, 2, 100);
        MlpTrainer.Result resumed = MlpTrainer.train(newer, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, twoEpochs, 5,
                Device.cpu(), new MlpTrainer.Resume(noBetter, latest[0], null),
                new MlpTrainer.WarmStart(first.architecture(), first.bestParameters()), (s, l, b) -> true);
        assertArrayEquals(first.bestParameters(), resumed.bestParameters());

        MlpArchitecture other = new MlpArchitecture(1, older.cols() + 2, List.of(16), 0.0, 2, Task.CLASSIFICATION, 0, 1);
        ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> MlpTrainer.train(newer, validation,
                Task.CLASSIFICATION, 2, Metric.LOG_LOSS, further, 5, Device.cpu(), null,
                new MlpTrainer.WarmStart(other, first.bestParameters()), (s, l, b) -> true));
        assertEquals(FailureTypes.INCOMPATIBLE_MODEL, e.getType());
    }
}
