package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlayer.activities.Json;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.scoring.Metrics;
import dev.trainlayer.scoring.PackedWeights;
import dev.trainlayer.scoring.XgboostModel;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parts of model optimization that decide what is kept: magnitude masks, packed (sparse, int8) weights, and split
 * pruning of real XGBoost models trained on real rows, loaded back by XGBoost itself.
 */
class ModelOptimizerTest {
    static Matrix train;
    static Matrix validation;
    static XgboostTrainer.Result trees;

    @BeforeAll
    static void data() throws Exception {
        Matrix[] rows = BreastCancer.encoded(0.2, 0.2, 5);
        train = rows[0];
        validation = rows[1];
        trees = XgboostFamiliesTest.train(ModelType.XGBOOST, train, validation, Task.CLASSIFICATION,
                Map.of("numRounds", 200, "earlyStoppingRounds", 10), new ArrayList<EpochMetrics>());
    }

    static double[][] predict(byte[] json) {
        try (XgboostModel model = XgboostModel.load(json, trees.metadata())) {
            return model.predict(validation);
        }
    }

    @Test
    void masksDropExactlyTheSmallestMagnitudes() {
        float[] w = {0.5f, -0.1f, 0.0f, 2f, -3f, 0.1f, 0.7f, -0.05f};
        boolean[] keep = ModelOptimizer.keepLargest(w, 0.5);
        // The four smallest |w|: 0.0, -0.05, then the tie 0.1 / -0.1 broken by position (-0.1 comes first).
        assertArrayEquals(new boolean[] {true, false, false, true, true, false, true, false}, keep);
        assertEquals(8, count(ModelOptimizer.keepLargest(w, 0), true));
        assertEquals(1, count(ModelOptimizer.keepLargest(w, 0.95), true));
    }

    private static int count(boolean[] values, boolean wanted) {
        int n = 0;
        for (boolean v : values) {
            n += v == wanted ? 1 : 0;
        }
        return n;
    }

    @Test
    void packedWeightsRoundTripExactlyAndQuantizeWithinHalfAStep() {
        Random random = new Random(3);
        float[] weights = new float[64 * 30];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian() * (1 + i % 7);
        }
        float[] bias = {0.25f, -1.5f};
        List<PackedWeights.Tensor> dense = List.of(new PackedWeights.Tensor("w", new long[] {64, 30}, weights),
                new PackedWeights.Tensor("b", new long[] {2}, bias));
        List<PackedWeights.Tensor> back = PackedWeights.unpack(PackedWeights.pack(dense, false));
        assertArrayEquals(weights, back.get(0).values(), "float32 is kept bit for bit");
        assertArrayEquals(bias, back.get(1).values());

        float[] pruned = weights.clone();
        boolean[] keep = ModelOptimizer.keepLargest(weights, 0.5);
        for (int i = 0; i < pruned.length; i++) {
            pruned[i] = keep[i] ? pruned[i] : 0f;
        }
        List<PackedWeights.Tensor> sparse = List.of(new PackedWeights.Tensor("w", new long[] {64, 30}, pruned),
                new PackedWeights.Tensor("b", new long[] {2}, bias));
        byte[] float32 = PackedWeights.pack(dense, false);
        byte[] sparseFloat = PackedWeights.pack(sparse, false);
        byte[] sparseInt8 = PackedWeights.pack(sparse, true);
        assertArrayEquals(pruned, PackedWeights.unpack(sparseFloat).get(0).values(), "sparse float32 is exact");
        // Half the weights as float32 plus a bit each for the mask; int8 a quarter of that again, plus 64 scales.
        assertTrue(sparseFloat.length < float32.length * 0.55, sparseFloat.length + " vs " + float32.length);
        assertTrue(sparseInt8.length < float32.length * 0.2, sparseInt8.length + " vs " + float32.length);

        List<PackedWeights.Tensor> quantized = PackedWeights.unpack(sparseInt8);
        assertArrayEquals(bias, quantized.get(1).values(), "biases are not quantized");
        float[] q = quantized.get(0).values();
        for (int r = 0; r < 64; r++) {
            float max = 0;
            for (int c = 0; c < 30; c++) {
                max = Math.max(max, Math.abs(pruned[r * 30 + c]));
            }
            float step = max / 127f;
            for (int c = 0; c < 30; c++) {
                int i = r * 30 + c;
                assertEquals(pruned[i], q[i], step / 2 + 1e-6f, "row " + r + " col " + c);
                if (pruned[i] == 0f) {
                    assertEquals(0f, q[i], "a pruned weight stays exactly zero");
                }
            }
        }
    }

    /** A network trained from scratch on the breast-cancer rows. */
    static MlpTrainer.Result trainNetwork(MlpTrainer.Options options, long seed) {
        return MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC, options, seed, ai.djl.Device.cpu(), null,
                (state, latest, best) -> true);
    }

    /** A trained network's parameters as tensors. */
    static List<PackedWeights.Tensor> tensors(MlpTrainer.Result trained) {
        try (dev.trainlayer.scoring.MlpModel m = dev.trainlayer.scoring.MlpModel.load(trained.architecture(), trained.bestParameters(),
                ai.djl.Device.cpu())) {
            return m.tensors();
        }
    }

    @Test
    void aPrunedNetworkFineTunesWithItsPrunedWeightsHeldAtZero() {
        MlpTrainer.Options options = new MlpTrainer.Options(List.of(32, 16), 0.1, 1e-3, 1e-4, 32, 30, 30);
        MlpTrainer.Result trained = trainNetwork(options, 4);
        List<PackedWeights.Tensor> tensors = tensors(trained);
        // Pruned hard, the network loses much of its fit, and the fine-tune has something to win back.
        ModelOptimizer.Pruning pruning = ModelOptimizer.prune(tensors, 0.9, null);
        Map<String, boolean[]> masks = pruning.masks();
        List<PackedWeights.Tensor> pruned = pruning.tensors();
        MlpTrainer.Result tuned = MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC,
                new MlpTrainer.Options(List.of(32, 16), 0.1, 5e-4, 1e-4, 32, 8, 8), 5, ai.djl.Device.cpu(), null,
                new MlpTrainer.WarmStart(trained.architecture(), ModelOptimizer.parameters(trained.architecture(), pruned), masks),
                (state, latest, best) -> true);
        assertTrue(tuned.state().bestEpoch() > 0, "an epoch of fine-tuning beat the pruned network: " + tuned.state().curve());
        try (dev.trainlayer.scoring.MlpModel m = dev.trainlayer.scoring.MlpModel.load(trained.architecture(), tuned.bestParameters(),
                ai.djl.Device.cpu())) {
            for (PackedWeights.Tensor t : m.tensors()) {
                boolean[] keep = masks.get(t.name());
                if (keep == null) {
                    continue;
                }
                int moved = 0;
                for (int i = 0; i < keep.length; i++) {
                    if (!keep[i]) {
                        assertTrue(t.values()[i] == 0f, t.name() + "[" + i + "] was pruned: " + t.values()[i]);
                    } else if (t.values()[i] != pruned.stream().filter(p -> p.name().equals(t.name())).findFirst().orElseThrow().values()[i]) {
                        moved++;
                    }
                }
                assertTrue(moved > 0, "the kept weights of " + t.name() + " were fine-tuned");
            }
        }
    }

    @Test
    void aFineTuneLeavesNothingBehindForTheNextTraining() {
        MlpTrainer.Options options = new MlpTrainer.Options(List.of(32, 16), 0.1, 1e-3, 1e-4, 32, 12, 12);
        MlpTrainer.Result first = trainNetwork(options, 21);
        List<PackedWeights.Tensor> tensors = tensors(first);
        Map<String, boolean[]> masks = ModelOptimizer.prune(tensors, 0.5, null).masks();
        MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC, options, 22, ai.djl.Device.cpu(), null,
                new MlpTrainer.WarmStart(first.architecture(), first.bestParameters(), masks), (state, latest, best) -> true);
        MlpTrainer.Result again = trainNetwork(options, 21);
        assertArrayEquals(first.bestParameters(), again.bestParameters(), "the same seed trains the same network after a fine-tune");
    }

    @Test
    void theJavaForwardPassComputesWhatTheEngineDoes() {
        MlpTrainer.Options options = new MlpTrainer.Options(List.of(16, 8), 0.2, 1e-3, 1e-4, 32, 5, 5);
        MlpTrainer.Result trained = trainNetwork(options, 9);
        try (dev.trainlayer.scoring.MlpModel engine = dev.trainlayer.scoring.MlpModel.load(trained.architecture(),
                trained.bestParameters(), ai.djl.Device.cpu())) {
            byte[] packed = PackedWeights.pack(engine.tensors(), false);
            try (dev.trainlayer.scoring.SparseMlp java = dev.trainlayer.scoring.SparseMlp.load(trained.architecture(), packed)) {
                double[][] a = engine.predict(validation);
                double[][] b = java.predict(validation);
                for (int r = 0; r < a.length; r++) {
                    assertArrayEquals(a[r], b[r], 1e-5, "row " + r);
                }
            }
            // Pruned to 10% of the weights, the layers are kept sparse (nonzero weights only) and still compute the same.
            List<PackedWeights.Tensor> pruned = ModelOptimizer.prune(engine.tensors(), 0.9, null).tensors();
            try (dev.trainlayer.scoring.MlpModel prunedEngine = dev.trainlayer.scoring.MlpModel.load(trained.architecture(),
                    ModelOptimizer.parameters(trained.architecture(), pruned), ai.djl.Device.cpu());
                 dev.trainlayer.scoring.SparseMlp java = dev.trainlayer.scoring.SparseMlp.load(trained.architecture(),
                         PackedWeights.pack(pruned, false))) {
                double[][] a = prunedEngine.predict(validation);
                double[][] b = java.predict(validation);
                for (int r = 0; r < a.length; r++) {
                    assertArrayEquals(a[r], b[r], 1e-5, "row " + r);
                }
                long kept = pruned.stream().filter(t -> t.shape().length == 2).mapToLong(t -> t.values().length - (long) Math.floor(0.9 * t.values().length)).sum();
                assertEquals(kept, java.weights());
            }
        }
    }

    @Test
    void pruningNothingKeepsEveryPredictionBitForBit() {
        XgboostModels.Pruned none = XgboostModels.prune(trees.modelJson(), 0, 1.0);
        assertEquals(0, none.splitsRemoved());
        assertArrayEquals(predict(trees.modelJson()), predict(none.modelJson()));
        // Cutting the rounds past the best changes nothing either: predictions use the trees up to it.
        byte[] cut = XgboostModels.truncate(trees.modelJson(), trees.metadata().bestIteration() + 1);
        assertTrue(cut.length < trees.modelJson().length || trees.metadata().rounds() == trees.metadata().bestIteration() + 1);
        assertArrayEquals(predict(trees.modelJson()), predict(cut));
        assertTrue(ModelOptimizer.gzip(cut).length * 3 < cut.length, "JSON trees compress at least 3×");
    }

    static Map<String, Object> params() {
        Map<String, Object> p = new java.util.HashMap<>(ModelType.XGBOOST.defaults());
        p.put("numRounds", 200);
        p.put("earlyStoppingRounds", 10);
        return p;
    }

    /**
     * A node collapsed into a leaf predicts what it would have as a leaf: with every split gone, each tree's one leaf is
     * its root's weight times the learning rate (XGBoost records internal weights unscaled), for boosted trees and for
     * the forest's averaged ones alike.
     */
    @Test
    void aCollapsedNodePredictsItsOwnWeight() throws Exception {
        double eta = ((Number) params().get("eta")).doubleValue();
        assertRootsCollapseTo(trees.modelJson(), ModelOptimizer.lambda(ModelType.XGBOOST, params()), eta);
        Map<String, Object> forestParams = new java.util.HashMap<>(ModelType.FOREST.defaults());
        XgboostTrainer.Result forest = XgboostFamiliesTest.train(ModelType.FOREST, train, validation, Task.CLASSIFICATION, Map.of(),
                new ArrayList<EpochMetrics>());
        assertRootsCollapseTo(forest.modelJson(), ModelOptimizer.lambda(ModelType.FOREST, forestParams),
                1.0 / ((Number) forestParams.get("trees")).doubleValue());
    }

    private static void assertRootsCollapseTo(byte[] json, double lambda, double scale) throws Exception {
        JsonNode before = Json.MAPPER.readTree(json).path("learner").path("gradient_booster").path("model").path("trees");
        XgboostModels.Pruned all = XgboostModels.prune(json, 1.0, lambda);
        assertEquals(all.splitsBefore(), all.splitsRemoved());
        JsonNode after = Json.MAPPER.readTree(all.modelJson()).path("learner").path("gradient_booster").path("model").path("trees");
        for (int t = 0; t < before.size(); t++) {
            assertEquals(1, after.get(t).path("left_children").size(), "one leaf left");
            double root = before.get(t).path("base_weights").get(0).asDouble();
            double leaf = after.get(t).path("split_conditions").get(0).asDouble();
            assertEquals(root * scale, leaf, 1e-4 * Math.max(1, Math.abs(root * scale)), "tree " + t);
        }
    }

    @Test
    void pruningCollapsesTheLeastGainingSplitsIntoValidTrees() throws Exception {
        byte[] json = XgboostModels.truncate(trees.modelJson(), trees.metadata().bestIteration() + 1);
        XgboostModels.Pruned pruned = XgboostModels.prune(json, 0.3, ModelOptimizer.lambda(ModelType.XGBOOST, params()));
        assertEquals((int) Math.floor(0.3 * pruned.splitsBefore()), pruned.splitsRemoved());
        JsonNode before = Json.MAPPER.readTree(json).path("learner").path("gradient_booster").path("model").path("trees");
        JsonNode after = Json.MAPPER.readTree(pruned.modelJson()).path("learner").path("gradient_booster").path("model").path("trees");
        assertEquals(before.size(), after.size());
        int splitsAfter = 0;
        for (JsonNode tree : after) {
            int nodes = tree.path("left_children").size();
            assertEquals(nodes, tree.path("tree_param").path("num_nodes").asInt());
            for (int n = 0; n < nodes; n++) {
                int left = tree.path("left_children").get(n).asInt();
                if (left == -1) {
                    continue;
                }
                splitsAfter++;
                int right = tree.path("right_children").get(n).asInt();
                assertTrue(left > n && right > n && left < nodes && right < nodes, "children follow their parent");
                assertEquals(n, tree.path("parents").get(left).asInt());
                assertEquals(n, tree.path("parents").get(right).asInt());
            }
        }
        assertEquals(pruned.splitsBefore() - pruned.splitsRemoved(), splitsAfter);
        double[][] original = predict(json);
        double[][] smaller = predict(pruned.modelJson());
        assertFalse(java.util.Arrays.deepEquals(original, smaller), "the model changed");
        double aucBefore = Metrics.score(original, validation, Task.CLASSIFICATION, 2).get(Metric.ROC_AUC.wire());
        double aucAfter = Metrics.score(smaller, validation, Task.CLASSIFICATION, 2).get(Metric.ROC_AUC.wire());
        assertTrue(aucBefore - aucAfter < 0.02, aucBefore + " → " + aucAfter);
    }
}
