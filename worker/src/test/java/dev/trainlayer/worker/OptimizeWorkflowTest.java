package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.scoring.Scorer;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.Optimization;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.RunStatus;
import io.temporal.client.WorkflowStub;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec {@code optimize} through the retrain workflow with real training: the challenger is pruned, fine-tuned and
 * quantized (a network) or cut and pruned (trees) after its gates, measured on the test rows, and registered with the
 * optimized files beside the original; a version whose optimization passed is scored optimized, one that failed its
 * {@code maxMetricDrop} is scored as trained.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OptimizeWorkflowTest {
    @TempDir
    static Path dir;
    static WorkflowHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new WorkflowHarness(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        h.recordHistories("retrain/bc-optimize/run-30", "retrain/bc-optimize/run-33", "registry/bc-optimize");
        h.close();
    }

    static RunState run(String name, String runId, String extra, String models) {
        RetrainWorkflow run = h.start(h.spec(name, extra, models), runId);
        RunState state = WorkflowStub.fromTyped(run).getResult(RunState.class);
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> state.reasons() + " " + state.warnings());
        return state;
    }

    /** The version's test rows scored by what serving loads, and by the model as trained. */
    static double[][][] scored(ModelVersion version, String runId) throws Exception {
        Table test;
        try (InputStream in = h.store.store.open(h.store.store.bucket(), Keys.features(runId) + "test.csv")) {
            test = Table.read(in);
        }
        try (Scorer served = Scorer.load(h.store.store, version); Scorer trained = Scorer.load(h.store.store, version.trained())) {
            return new double[][][] {served.score(test).outputs(), trained.score(test).outputs()};
        }
    }

    @Test
    @Order(1)
    void aPrunedQuantizedNetworkIsSmallerWithinItsGateAndServed() throws Exception {
        RunState state = run("bc-optimize", "run-30", "optimize: {prune: 0.5, quantize: int8, maxMetricDrop: 0.01}", """
                models:
                  - type: mlp
                    params: {hiddenLayers: [64, 32], maxEpochs: 60, patience: 10}
                """);
        Optimization o = state.optimization();
        assertNotNull(o, "the run reports its optimization");
        ModelVersion version = h.registry("bc-optimize").version(state.modelVersion()).orElseThrow();
        assertEquals(o.originalBytes(), version.optimization().originalBytes());
        assertTrue(o.passed(), () -> "not served: " + o.reason());
        assertTrue(o.optimizedBytes() * 4 < o.originalBytes(), () -> o.originalBytes() + " → " + o.optimizedBytes());
        assertTrue(Math.abs(o.metricDelta()) <= 0.01 || o.metricDelta() > 0, o::toString);
        assertEquals(0.5, ((Number) o.details().get("sparsity")).doubleValue(), 0.01);
        assertEquals(Boolean.TRUE, o.details().get("int8"));
        assertNotNull(o.latencyMs().singleRow());
        // The version's copy under optimized/, with the digest the trial's had; scoring serves it.
        assertEquals(Keys.modelVersion("bc-optimize", state.modelVersion()) + "optimized/", version.optimization().artifacts().key());
        assertTrue(h.store.store.exists(version.optimization().artifacts().key() + "model.packed"));
        assertTrue(version.serving().hasOptimizedFiles());
        double[][][] outputs = scored(version, state.runId());
        assertFalse(java.util.Arrays.deepEquals(outputs[0], outputs[1]), "pruned and quantized weights predict differently");
        String card = h.store.store.getString(Keys.modelVersion("bc-optimize", state.modelVersion()) + "card.md");
        assertTrue(card.contains("## Optimization") && card.contains("**Served**"), card);
    }

    @Test
    @Order(2)
    void theNextRunJudgesTheChampionAsItIsServed() throws Exception {
        ModelVersion champion = h.registry("bc-optimize").championVersion().orElseThrow();
        assertTrue(champion.serving().hasOptimizedFiles());
        assertTrue(champion.optimization().steps().isEmpty(), "the registry keeps the numbers; the card has the steps");
        RunState state = run("bc-optimize", "run-33", "optimize: {prune: 0.5, quantize: int8, maxMetricDrop: 0.01}\n"
                + "gates: {maxDropVsChampion: 0.05}", """
                models:
                  - type: mlp
                    params: {hiddenLayers: [64, 32], maxEpochs: 60, patience: 10}
                """);
        // The same data, split and seed: the champion's side is its optimized model on the same test rows.
        assertEquals(champion.optimization().optimizedMetric(), state.championMetrics().get("roc_auc"));
        Table test;
        try (InputStream in = h.store.store.open(h.store.store.bucket(), Keys.features(state.runId()) + "test.csv")) {
            test = Table.read(in);
        }
        try (Scorer served = Scorer.load(h.store.store, champion)) {
            Scorer.Scored scored = served.score(test);
            double logLoss = dev.trainlayer.scoring.Metrics.score(scored.outputs(), scored.features(),
                    dev.trainlayer.workflows.spec.Task.CLASSIFICATION, 2).get("log_loss");
            assertEquals(logLoss, state.championMetrics().get("log_loss"), "scored as served");
            assertNotEquals(champion.metrics().get("log_loss"), state.championMetrics().get("log_loss"), "not as trained");
        }
    }

    @Test
    @Order(3)
    void prunedTreesThatMissTheirGateAreKeptButNotServed() throws Exception {
        // Log loss moves with any change to the trees: with no drop allowed, pruning most splits cannot pass.
        RunState state = run("bc-optimize-trees", "run-31", """
                metric: log_loss
                optimize: {prune: 0.9, maxMetricDrop: 0}
                """, """
                models:
                  - type: xgboost
                    params: {numRounds: 300, earlyStoppingRounds: 10}
                """);
        Optimization o = state.optimization();
        assertNotNull(o);
        assertFalse(o.passed(), o::toString);
        assertTrue(o.reason().contains("log_loss") && o.reason().contains("maxMetricDrop"), o.reason());
        assertTrue(state.warnings().stream().anyMatch(w -> w.startsWith("optimize:")), state.warnings()::toString);
        int before = ((Number) o.details().get("splitsBefore")).intValue();
        assertEquals((int) Math.floor(0.9 * before), ((Number) o.details().get("splitsRemoved")).intValue());
        assertTrue((int) o.details().get("roundsKept") < (int) o.details().get("roundsTrained"), o.details()::toString);
        assertTrue(o.optimizedBytes() < o.originalBytes());
        ModelVersion version = h.registry("bc-optimize-trees").version(state.modelVersion()).orElseThrow();
        assertFalse(version.serving().hasOptimizedFiles(), "a failed optimization is not served");
        assertTrue(h.store.store.exists(version.optimization().artifacts().key() + "model.json.gz"), "but it is kept");
        double[][][] outputs = scored(version, state.runId());
        assertTrue(java.util.Arrays.deepEquals(outputs[0], outputs[1]), "served as trained");
        assertNotEquals(o.originalMetric(), o.optimizedMetric());
    }

    @Test
    @Order(4)
    void aSpecWithoutOptimizeHasNone() {
        RunState state = run("bc-plain", "run-32", "", """
                models:
                  - type: xgboost
                    params: {numRounds: 30}
                """);
        assertNull(state.optimization());
        ModelVersion version = h.registry("bc-plain").version(state.modelVersion()).orElseThrow();
        assertNull(version.optimization());
        assertEquals(version.trained(), version.serving());
        assertTrue(h.store.store.list(Keys.modelVersion("bc-plain", state.modelVersion()) + "optimized/").isEmpty());
        Map<String, Double> metrics = state.metrics();
        assertFalse(metrics.isEmpty());
    }
}
