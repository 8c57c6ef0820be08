package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.client.RegistryClient;
import dev.trainlayer.workflows.registry.RegistryCommand;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.registry.RollbackRequest;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.workflow.ApprovalDecision;
import dev.trainlayer.workflows.workflow.Phase;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.RunStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * RetrainWorkflow and ModelRegistryWorkflow in the Temporal test environment, with the real activities,
 * real training and a real S3 server. One environment for the class: the tests build on one model's history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrainWorkflowTest {
    @TempDir
    static Path dir;
    static WorkflowHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new WorkflowHarness(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        // Regenerates the golden histories that HistoryReplayTest replays:
        // ./mvnw -pl worker test -Dtest=RetrainWorkflowTest -Dtrainlayer.recordHistories=src/test/resources/histories
        h.recordHistories("retrain/bc/run-1", "retrain/bc/run-3", "retrain/bc-approval/run-5", "registry/bc",
                "retrain/bc-search/run-10", "retrain/bc-search/run-10/search",
                "retrain/bc-search/run-13", "retrain/bc-search/run-13/search");
        h.close();
    }

    static RunState result(RetrainWorkflow run) {
        return WorkflowStub.fromTyped(run).getResult(RunState.class);
    }

    static String failureType(RetrainWorkflow run) {
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> result(run));
        return ((ApplicationFailure) e.getCause()).getType();
    }

    @Test
    @Order(1)
    void firstRunTrainsBothCandidatesRegistersAndPromotes() {
        PipelineSpec spec = h.spec("bc", "gates: {min: {accuracy: 0.9}}");
        RunState state = result(h.start(spec, "run-1"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        assertEquals(Phase.DONE, state.phase());
        assertEquals(2, state.trials().size());
        assertTrue(state.trials().stream().allMatch(t -> "COMPLETED".equals(t.status())));
        assertNotNull(state.bestTrial());
        assertTrue(state.metrics().get("accuracy") >= 0.9, () -> "test metrics " + state.metrics());
        assertEquals(1, state.modelVersion());
        assertTrue(state.promoted());
        RegistryState registry = h.registry("bc");
        assertEquals(1, registry.champion());
        assertEquals(state.datasetSha256(), registry.versions().get(0).lineage().datasetSha256());
        assertEquals(state.specHash(), registry.versions().get(0).lineage().specHash());
        assertFalse(registry.versions().get(0).lineage().environment().get("djl").isBlank());
        assertTrue(h.store.store.exists(Keys.champion("bc")));
        assertTrue(h.store.store.exists(Keys.modelVersion("bc", 1) + "card.md"));
        assertTrue(h.store.store.exists(Keys.modelVersion("bc", 1) + "features.json"));
        assertEquals(2, h.store.store.getString(Keys.ledger("run-1")).lines().count());
    }

    @Test
    @Order(2)
    void sameSpecDataAndSeedGiveIdenticalMetrics() {
        RunState first = result(h.start(h.spec("bc", "gates: {min: {accuracy: 0.9}}"), "run-2"));
        RunState again = h.client().newWorkflowStub(RetrainWorkflow.class, "retrain/bc/run-1").status();
        assertEquals(again.metrics(), first.metrics());
        assertEquals(again.trials().get(0).validationMetrics(), first.trials().get(0).validationMetrics());
        assertEquals(2, first.modelVersion(), () -> "registry " + h.registry("bc").versions().stream().map(v -> v.version() + ":" + v.runId()).toList()
                + " audit " + h.registry("bc").audit() + " history " + h.client().fetchHistory("registry/bc").getEvents().stream()
                .map(e -> e.getEventType().name().replace("EVENT_TYPE_", "")).toList());
    }

    @Test
    @Order(3)
    void failedGateRejectsTheRunAndLeavesTheChampionAlone() {
        int before = h.registry("bc").champion();
        RunState state = result(h.start(h.spec("bc", "gates: {min: {accuracy: 0.9999}}"), "run-3"));
        assertEquals(RunStatus.REJECTED, state.status());
        assertNull(state.modelVersion());
        assertTrue(state.reasons().get(0).contains("min.accuracy"), () -> state.reasons().toString());
        assertNotNull(state.championMetrics().get("accuracy"), "the champion is scored on the same rows");
        assertEquals(before, h.registry("bc").champion());
    }

    @Test
    @Order(4)
    void rollbackMovesTheChampionBack() {
        RegistryState before = h.registry("bc");
        assertEquals(2, before.champion());
        RegistryClient.send(h.client(), "bc", RegistryCommand.rollback("rb-1", new RollbackRequest("bc", null, "test", "bad canary")),
                Duration.ofSeconds(30), () -> { });
        RegistryState after = h.registry("bc");
        assertEquals(1, after.champion());
        assertEquals("ROLLBACK", after.audit().get(after.audit().size() - 1).action());
        assertEquals(1, h.registry("bc").champion());
        assertTrue(h.store.store.getString(Keys.champion("bc")).contains("\"version\" : 1"));
    }

    @Test
    @Order(5)
    void approvalModeWaitsForADecision() {
        RetrainWorkflow run = h.start(h.spec("bc-approval", "promotion: {mode: approval, approvalTimeout: 2h}"), "run-5");
        run.decide(new ApprovalDecision(true, "alice", "looks good"));
        RunState state = result(run);
        assertEquals(RunStatus.SUCCEEDED, state.status());
        assertEquals(1, h.registry("bc-approval").champion());
        assertEquals("alice", h.registry("bc-approval").audit().get(1).actor());
    }

    @Test
    @Order(6)
    void approvalThatNeverComesRejectsAfterTheTimeout() {
        // A timeout of seconds, not minutes: the test server's automatic time skipping around getResult once
        // left this test waiting on a 30m timer (a known race of the test server); 2 s of real time is safe.
        RunState state = result(h.start(h.spec("bc-approval", "promotion: {mode: approval, approvalTimeout: 2s}"), "run-6"));
        assertEquals(RunStatus.REJECTED, state.status());
        assertTrue(state.reasons().get(0).contains("no approval within 2s"));
        assertEquals(2, state.modelVersion(), "the version stays registered");
        assertEquals(1, h.registry("bc-approval").champion());
    }

    @Test
    @Order(7)
    void missingDatasetFailsFastWithAStableType() {
        PipelineSpec spec = SpecParser.parse("""
                name: missing
                task: classification
                target: y
                data: {uri: "s3://incoming/nope/data.csv"}
                """);
        assertEquals(FailureTypes.DATASET_NOT_FOUND, failureType(h.start(spec, "run-7")));
    }

    @Test
    @Order(8)
    void unknownTargetColumnFailsFastNamingTheColumn() {
        PipelineSpec spec = SpecParser.parse("""
                name: wrong-target
                task: classification
                target: outcome
                data: {uri: %s}
                """.formatted(h.dataUri));
        RetrainWorkflow run = h.start(spec, "run-8");
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> result(run));
        ApplicationFailure cause = (ApplicationFailure) e.getCause();
        assertEquals(FailureTypes.DATA_INVALID, cause.getType());
        assertTrue(cause.getOriginalMessage().contains("'outcome'"), cause.getOriginalMessage());
    }

    @Test
    @Order(9)
    void aRunSurvivesAWorkerRestartMidTraining() throws Exception {
        RetrainWorkflow run = h.start(h.spec("bc-restart", ""), "run-9");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (run.status().phase() != Phase.TRAINING && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(Phase.TRAINING, run.status().phase());
        h.restartWorker();
        RunState state = result(run);
        assertEquals(RunStatus.SUCCEEDED, state.status());
        assertEquals(1, state.modelVersion());
    }

    static final String SEARCH_MODELS = """
            models:
              - type: mlp
                params: {maxEpochs: 40, patience: 8}
                space:
                  learningRate: {low: 0.0003, high: 0.03, log: true}
                  hiddenLayers: {choices: [[16], [32, 16]]}
              - type: xgboost
                params: {numRounds: 150, earlyStoppingRounds: 15}
                space:
                  maxDepth: {low: 2, high: 6}
                  eta: {low: 0.03, high: 0.3, log: true}
            """;

    static PipelineSpec searchSpec(String name, String search) {
        return h.spec(name, search, SEARCH_MODELS);
    }

    @Test
    @Order(10)
    void aBayesianSearchRunsItsTrialBudgetInParallelAndReportsImportance() {
        RunState state = result(h.start(searchSpec("bc-search", "search: {trials: 8, parallelism: 2}"), "run-10"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        assertEquals(9, state.trials().size(), "8 searched and the winner's refit: " + state.trials());
        assertEquals("trial budget of 8 used", state.searchStop());
        assertTrue(state.trials().stream().anyMatch(t -> t.type() == dev.trainlayer.workflows.spec.ModelType.MLP)
                && state.trials().stream().anyMatch(t -> t.type() == dev.trainlayer.workflows.spec.ModelType.XGBOOST),
                "the candidate is a searched choice: " + state.trials());
        assertFalse(state.importance().isEmpty());
        assertTrue(state.metrics().get("accuracy") >= 0.9, state.metrics()::toString);
        assertEquals(9, h.store.store.getString(Keys.ledger("run-10")).lines().count());
    }

    @Test
    @Order(11)
    void aLaterSearchOfThePipelineStartsFromEarlierTrials() throws Exception {
        RunState state = result(h.start(searchSpec("bc-search", "search: {trials: 3, parallelism: 1}"), "run-13"));
        assertEquals(RunStatus.SUCCEEDED, state.status());
        // What run-10 recorded: its 8 trials but any a retired family's cancellation cut short (that depends on which of two
        // parallel trials finished first, so the count is read, not assumed).
        String recorded = h.store.store.list("pipelines/").stream().filter(k -> k.endsWith("/searches/run-10.json")).findFirst()
                .orElseThrow();
        int observed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(h.store.store.getString(recorded))
                .path("observations").size();
        assertTrue(observed >= 6 && observed <= 8, "run-10 recorded " + observed + " of its 8 trials");
        assertEquals(observed, state.searchPriors(), "every trial run-10 recorded seeds the optimizer");
        RunState cold = result(h.start(searchSpec("bc-search", "search: {trials: 2, parallelism: 1, warmStart: false}"), "run-14"));
        assertEquals(0, cold.searchPriors());
    }

    @Test
    @Order(13)
    void aSearchStopsAtItsTarget() {
        RunState state = result(h.start(searchSpec("bc-target",
                "search: {trials: 20, parallelism: 2, target: 0.5, algorithm: random}"), "run-11"));
        assertEquals(RunStatus.SUCCEEDED, state.status());
        assertTrue(state.searchStop().startsWith("target roc_auc 0.5 reached"), state.searchStop());
        assertTrue(state.trials().stream().filter(t -> !t.trialId().endsWith("/refit")).count() <= 2,
                "only the first batch ran: " + state.trials());
    }

    @Test
    @Order(12)
    void aTerminatedRegistryRecoversFromItsStoreMirror() {
        RegistryState before = h.registry("bc");
        // Make sure the registry workflow is running (the test server's time skipping can run it into its
        // default run timeout between tests), then terminate it as an operator might by mistake.
        RegistryClient.send(h.client(), "bc", RegistryCommand.promote("wake-12",
                new dev.trainlayer.workflows.registry.PromoteRequest("bc", before.champion(), "test", "no-op")),
                Duration.ofSeconds(30), () -> { });
        h.client().newUntypedWorkflowStub("registry/bc").terminate("operator mistake");
        // The run's champion lookup reads the mirror while the registry is closed; its registration restarts it.
        RunState state = result(h.start(h.spec("bc", "gates: {min: {accuracy: 0.9}}"), "run-12"));
        assertEquals(before.champion(), state.championVersion());
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        RegistryState after = h.registry("bc");
        assertEquals(before.versions().size() + 1, state.modelVersion(), "numbering continues");
        assertEquals(before.versions().size() + 1, after.versions().size());
        assertTrue(after.audit().size() > before.audit().size());
        assertEquals(before.audit().get(0), after.audit().get(0), "the audit trail survives");
    }
}
