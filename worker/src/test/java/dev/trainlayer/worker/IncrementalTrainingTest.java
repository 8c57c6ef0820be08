package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlayer.activities.Json;
import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.RunStatus;
import dev.trainlayer.workflows.workflow.TrialSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental training end to end in the test environment: a first run has no champion and trains from
 * scratch; the next run, on newer rows at the same URI, continues the champion's weights or trees with the
 * champion's feature pipeline; data that no longer fits that pipeline trains from scratch and says why.
 */
class IncrementalTrainingTest {
    @TempDir
    static Path dir;
    static WorkflowHarness h;
    static String header;
    static List<String> rows;

    @BeforeAll
    static void start() throws Exception {
        h = new WorkflowHarness(dir);
        List<String> lines = Files.readAllLines(StoreFixture.BREAST_CANCER);
        header = lines.get(0);
        rows = lines.subList(1, lines.size());
    }

    @AfterAll
    static void stop() throws Exception {
        h.recordHistories("retrain/inc-mlp/run-2");
        h.close();
    }

    /** Every other row: day 0 gets the even rows, day 1 the odd ones (both stratified enough to split). */
    static String day(int day) {
        StringBuilder csv = new StringBuilder(header).append('\n');
        for (int i = day; i < rows.size(); i += 2) {
            csv.append(rows.get(i)).append('\n');
        }
        return csv.toString();
    }

    static PipelineSpec spec(String name, String uri, String models) {
        return spec(name, uri, "incremental: {epochs: 8, rounds: 40}", models);
    }

    static PipelineSpec spec(String name, String uri, String incremental, String models) {
        return WorkflowHarness.spec(name, uri, incremental, models);
    }

    static RunState run(PipelineSpec spec, String runId) {
        return RetrainWorkflowTest.result(h.start(spec, runId));
    }

    static ModelVersion version(String model, int n) {
        return h.registry(model).versions().stream().filter(v -> v.version() == n).findFirst().orElseThrow();
    }

    @Test
    void aNetworkContinuesFromTheChampionsWeights() {
        String uri = h.store.upload("inc/mlp.csv", day(0));
        PipelineSpec spec = spec("inc-mlp", uri, "models: [{type: mlp, params: {hiddenLayers: [16], maxEpochs: 40, patience: 5}}]");
        RunState first = run(spec, "run-1");
        assertEquals(RunStatus.SUCCEEDED, first.status(), () -> String.valueOf(first.reasons()));
        assertNull(first.warmStartedFrom());
        assertTrue(first.warnings().contains("incremental: model inc-mlp has no champion yet; trained from scratch"),
                () -> first.warnings().toString());

        h.store.upload("inc/mlp.csv", day(1));
        RunState next = run(spec, "run-2");
        assertEquals(RunStatus.SUCCEEDED, next.status(), () -> String.valueOf(next.reasons()));
        assertEquals(1, next.warmStartedFrom());
        assertEquals(List.of("00-incremental"), next.trials().stream().map(TrialSummary::trialId).toList());
        TrialSummary trial = next.trials().get(0);
        assertTrue(trial.epochs() >= 1 && trial.epochs() <= 8, () -> "further epochs " + trial.epochs());
        assertEquals(5e-4, ((Number) trial.params().get("learningRate")).doubleValue(), 1e-12, "champion's 1e-3 × 0.5");
        assertTrue(!first.datasetSha256().equals(next.datasetSha256()), "newer rows at the same URI");

        ModelVersion v2 = version("inc-mlp", 2);
        assertEquals(1, v2.lineage().warmStartedFrom());
        assertTrue(h.store.store.getString(Keys.modelVersion("inc-mlp", 2) + "card.md").contains("| trained from | v1 (incremental"));
        assertEquals(2, h.registry("inc-mlp").champion());
        // The continued network reads its inputs exactly as the champion did.
        assertEquals(h.store.store.getString(Keys.modelVersion("inc-mlp", 1) + "features.json"),
                h.store.store.getString(Keys.modelVersion("inc-mlp", 2) + "features.json"));
        assertEquals(h.store.store.getString(Keys.modelVersion("inc-mlp", 1) + "architecture.json"),
                h.store.store.getString(Keys.modelVersion("inc-mlp", 2) + "architecture.json"));

        // The champion's weights deleted from the store: the run fails at once with a type and a way out.
        h.store.store.delete(Keys.modelVersion("inc-mlp", 2) + "model.params");
        assertEquals(FailureTypes.ARTIFACT_MISSING, RetrainWorkflowTest.failureType(h.start(spec, "run-3")));
    }

    @Test
    void boostingContinuesFromTheChampionsTreesAndNewColumnsTrainFromScratch() throws Exception {
        String uri = h.store.upload("inc/xgb.csv", day(0));
        PipelineSpec spec = spec("inc-xgb", uri, "incremental: {epochs: 8, rounds: 40, fromScratchEvery: 2}",
                "models: [{type: xgboost, params: {numRounds: 300, earlyStoppingRounds: 15}}]");
        RunState first = run(spec, "run-1");
        assertEquals(RunStatus.SUCCEEDED, first.status(), () -> String.valueOf(first.reasons()));

        h.store.upload("inc/xgb.csv", day(1));
        RunState next = run(spec, "run-2");
        assertEquals(RunStatus.SUCCEEDED, next.status(), () -> String.valueOf(next.reasons()));
        assertEquals(1, next.warmStartedFrom());
        JsonNode before = Json.MAPPER.readTree(h.store.store.getString(Keys.modelVersion("inc-xgb", 1) + "xgboost.json"));
        JsonNode after = Json.MAPPER.readTree(h.store.store.getString(Keys.modelVersion("inc-xgb", 2) + "xgboost.json"));
        int base = before.get("bestIteration").asInt() + 1;
        TrialSummary trial = next.trials().get(0);
        assertEquals(base + trial.epochs(), after.get("rounds").asInt(), "the champion's kept rounds plus the new ones");
        assertTrue(trial.epochs() >= 1 && trial.epochs() <= 40, () -> "further rounds " + trial.epochs());
        assertTrue(after.get("bestIteration").asInt() >= base - 1);
        assertEquals(1, version("inc-xgb", 2).lineage().chain());

        // fromScratchEvery 2: version 2 ends a chain of one continued version, so the next run starts over.
        RunState restart = run(spec, "run-2b");
        assertNull(restart.warmStartedFrom());
        assertEquals(List.of("00-xgboost"), restart.trials().stream().map(TrialSummary::trialId).toList());
        assertTrue(restart.warnings().contains("incremental: champion version 2 ends a chain of 1 continued version(s); "
                + "fromScratchEvery 2 trains this run from scratch"), () -> restart.warnings().toString());
        assertEquals(0, version("inc-xgb", 3).lineage().chain());

        // A new column: the champion's encoding cannot carry it, so the run trains from scratch and says so.
        List<String> lines = day(0).lines().toList();
        StringBuilder withColumn = new StringBuilder(lines.get(0)).append(",region\n");
        for (int i = 1; i < lines.size(); i++) {
            withColumn.append(lines.get(i)).append(i % 3 == 0 ? ",north\n" : ",south\n");
        }
        h.store.upload("inc/xgb.csv", withColumn.toString());
        RunState fresh = run(spec, "run-3");
        assertEquals(RunStatus.SUCCEEDED, fresh.status(), () -> String.valueOf(fresh.reasons()));
        assertNull(fresh.warmStartedFrom());
        assertEquals(List.of("00-xgboost"), fresh.trials().stream().map(TrialSummary::trialId).toList());
        assertTrue(fresh.warnings().stream().anyMatch(w -> w.contains("new input column(s) [region]")), () -> fresh.warnings().toString());
        assertTrue(fresh.warnings().contains("incremental: trained from scratch instead of continuing version 3"),
                () -> fresh.warnings().toString());

        // A spec that no longer trains the champion's family trains what it lists.
        h.store.upload("inc/xgb.csv", day(1));
        RunState other = run(spec("inc-xgb", uri, "models: [{type: mlp, params: {hiddenLayers: [8], maxEpochs: 5}}]"), "run-4");
        assertNull(other.warmStartedFrom());
        assertEquals(List.of("00-mlp"), other.trials().stream().map(TrialSummary::trialId).toList());
        assertTrue(other.warnings().stream().anyMatch(w -> w.contains("is xgboost, which this spec no longer trains")),
                () -> other.warnings().toString());
    }
}
