package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.artifact.FeedbackParts;
import dev.trainlayer.workflows.registry.AuditEntry;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.workflow.MonitorInput;
import dev.trainlayer.workflows.workflow.MonitorState;
import dev.trainlayer.workflows.workflow.MonitorWorkflow;
import dev.trainlayer.workflows.workflow.RetrainInput;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.RunStatus;
import dev.trainlayer.workflows.workflow.TriggerConfig;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline monitor in the test environment with the real worker composition: feedback parts in the store make it
 * start a run by itself (whose snapshot takes them in and whose McNemar test against the champion is recorded), the
 * monitor starts nothing more once the champion has learned those labels, and wrongly labelled feedback makes it roll
 * the champion back (AUTO_ROLLBACK with the evidence). The histories recorded here are replayed by HistoryReplayTest.
 */
class MonitorWorkflowTest {
    static final String PROJECT = "default";
    static final String PIPELINE = PROJECT + "/fb";

    @TempDir
    static Path dir;
    static WorkflowHarness h;
    static String header;
    static List<String> rows;
    static String dataUri;

    @BeforeAll
    static void start() throws Exception {
        h = new WorkflowHarness(dir);
        List<String> lines = Files.readAllLines(StoreFixture.BREAST_CANCER);
        header = lines.get(0);
        rows = lines.subList(1, lines.size());
        dataUri = h.store.store.putBytes("uploads/" + PROJECT + "/fb/data.csv", Files.readAllBytes(StoreFixture.BREAST_CANCER),
                "text/csv").uri();
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    static PipelineSpec spec() {
        return WorkflowHarness.spec("fb", dataUri, "metric: accuracy\ngates: {significance: {test: mcnemar}}", """
                models:
                  - {type: xgboost, params: {numRounds: 30, maxDepth: 3}}
                """);
    }

    /** Writes a feedback part of the given CSV lines as the feedback route would. */
    static String feedback(List<String> lines) throws Exception {
        byte[] bytes = (header + "\n" + String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        // The test server's clock (it skips ahead while workflows wait): the clock the runs and the monitor read.
        String key = FeedbackParts.key(PIPELINE, h.env.currentTimeMillis(), sha, lines.size());
        h.store.store.putBytes(key, bytes, "text/csv");
        return key;
    }

    static void await(String what, BooleanSupplier check) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!check.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    static RunState run(String runId) {
        RetrainWorkflow run = h.client().newWorkflowStub(RetrainWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.retrain(PIPELINE, runId)).setTaskQueue(TaskQueues.CONTROL).build());
        WorkflowClient.start(run::run, new RetrainInput(runId, spec(), "test", PROJECT));
        return WorkflowStub.fromTyped(run).getResult(RunState.class);
    }

    static RegistryState registry() {
        return h.registry(PIPELINE);
    }

    @Test
    void feedbackStartsARunAndAWronglyLabelledChampionIsRolledBack() throws Exception {
        RunState v1 = run("run-1");
        assertEquals(RunStatus.SUCCEEDED, v1.status(), () -> String.valueOf(v1.reasons()));
        assertEquals(0L, v1.feedbackRows(), "no feedback yet: the snapshot took none");
        assertEquals(null, v1.comparison(), "no champion to compare with");

        // 40 labelled rows arrive; the monitor starts a run on them by itself.
        feedback(rows.subList(0, 40));
        MonitorWorkflow monitor = h.client().newWorkflowStub(MonitorWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.monitor(PIPELINE)).setTaskQueue(TaskQueues.CONTROL).build());
        TriggerConfig labels = new TriggerConfig(spec(), 30, null, null, "0s", "1h", null, null, null);
        WorkflowClient.start(monitor::run, new MonitorInput(PROJECT, PIPELINE, PIPELINE, labels, null));
        monitor.checkNow();
        await("the monitor to start a run", () -> monitor.state().activeRunId() != null);
        MonitorState started = monitor.state();
        String runId = started.activeRunId();
        assertTrue(runId.startsWith("triggered-"), runId);
        assertTrue(started.decisions().stream().anyMatch(d -> d.contains("started run " + runId) && d.contains("40 new labels")),
                started.decisions()::toString);
        RunState v2 = h.client().newUntypedWorkflowStub(started.activeRun()).getResult(RunState.class);
        assertEquals(RunStatus.SUCCEEDED, v2.status(), () -> String.valueOf(v2.reasons()));
        assertEquals(RetrainInput.MONITOR, v2.trigger());
        assertTrue(v2.triggerReason().contains("40 new labels"), v2.triggerReason());
        assertEquals(40L, v2.feedbackRows());
        assertEquals(v1.rows() + 40, v2.rows(), "the run's rows count the feedback rows");
        assertEquals(40L, registry().version(2).orElseThrow().lineage().feedbackRows());
        assertNotNull(v2.comparison(), "McNemar against version 1 on the same test rows");
        assertEquals("mcnemar", v2.comparison().test());
        assertTrue(v2.comparison().pValue() >= 0 && v2.comparison().pValue() <= 1, v2.comparison()::toString);
        assertEquals(2, registry().champion());

        // Version 2 learned those labels: nothing new, nothing started, however often it checks.
        monitor.checkNow();
        await("a check after version 2", () -> monitor.state().lastCheck() != null && Integer.valueOf(2).equals(monitor.state().lastCheck().champion()));
        assertEquals(0L, monitor.state().lastCheck().newLabels());
        assertEquals(1, monitor.state().runsStarted());

        // Wrong labels: version 2's live accuracy collapses below version 1's recorded one; it is rolled back.
        List<String> wrong = rows.subList(100, 160).stream().map(line -> line.endsWith("malignant")
                ? line.substring(0, line.length() - "malignant".length()) + "benign"
                : line.substring(0, line.length() - "benign".length()) + "malignant").toList();
        feedback(wrong);
        monitor.configure(new TriggerConfig(spec(), 100_000, null, null, "1h", "1h", null, null,
                new TriggerConfig.AutoRollback(30, 0.05, null)));
        await("the automatic rollback", () -> registry().champion() == 1);
        AuditEntry last = registry().audit().get(registry().audit().size() - 1);
        assertEquals("AUTO_ROLLBACK", last.action());
        assertEquals(2, last.previousChampion());
        assertTrue(last.reason().contains("live accuracy") && last.reason().contains("60 labels"), last.reason());
        await("the monitor to record it", () -> Integer.valueOf(2).equals(monitor.state().rolledBackFrom()));

        monitor.stop();
        WorkflowStub.fromTyped(monitor).getResult(Void.class);
        // ./mvnw -pl worker test -Dtest=MonitorWorkflowTest -Dtrainlayer.recordHistories=src/test/resources/histories
        h.recordHistories(WorkflowIds.monitor(PIPELINE), started.activeRun());
    }
}
