package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.client.TemporalConnection;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.workflow.ModelRegistryWorkflowImpl;
import dev.trainlayer.workflows.workflow.RetrainInput;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.RetrainWorkflowImpl;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.RunStatus;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with payload encryption on: it trains and registers as usual, nothing of its spec is readable in the
 * history Temporal keeps, and that history replays on today's code with the codec (and the golden, plain histories
 * replay with the codec too, since plain payloads pass through it).
 */
class EncryptedRunTest {
    static final String KEYS = "k1:" + Base64.getEncoder().encodeToString("an-aes-256-key-of-32-bytes-long!".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    @Test
    void anEncryptedRunSucceedsHidesItsSpecAndReplays() throws Exception {
        DataConverter encrypted = TemporalConnection.dataConverter(KEYS);
        String workflowId;
        String history;
        try (WorkflowHarness h = new WorkflowHarness(dir, encrypted)) {
            String data = h.store.store.putBytes("uploads/team-e/bc/x.csv", Files.readAllBytes(StoreFixture.BREAST_CANCER), "text/csv").uri();
            PipelineSpec spec = WorkflowHarness.spec("sealed", data, "", """
                    models:
                      - type: xgboost
                        params: {numRounds: 40, earlyStoppingRounds: 10}
                    """);
            workflowId = WorkflowIds.retrain("team-e/" + spec.name(), "run-1");
            RetrainWorkflow run = h.client().newWorkflowStub(RetrainWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId(workflowId).setTaskQueue(TaskQueues.CONTROL)
                    .setTypedSearchAttributes(SearchAttributes.starting("team-e", spec.name(), spec.modelName())).build());
            WorkflowClient.start(run::run, new RetrainInput("run-1", spec, "test", "team-e"));
            RunState state = WorkflowStub.fromTyped(run).getResult(RunState.class);
            assertEquals(RunStatus.SUCCEEDED, state.status());
            assertEquals(RunStatus.SUCCEEDED, run.status().status(), "queries decode too");

            WorkflowExecutionHistory fetched = h.client().fetchHistory(workflowId);
            history = fetched.toJson(true);
            // The spec is in there, sealed: the codec opens the run's input and finds the target column.
            Payload input = fetched.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
            Payload opened = new dev.trainlayer.workflows.codec.EncryptionCodec(dev.trainlayer.workflows.codec.PayloadKeys.parse(KEYS)
                    .orElseThrow()).decode(java.util.List.of(input)).get(0);
            assertTrue(opened.getData().toStringUtf8().contains("diagnosis"), "the decoded input holds the spec");
            String registry = h.client().fetchHistory("registry/team-e/sealed").toJson(true);
            for (String json : new String[] {history, registry}) {
                String readable = decodedPayloadData(json);
                assertFalse(readable.contains("diagnosis"), "the target column is not readable in the history");
                assertFalse(readable.contains(data), "the data URI is not readable in the history");
                assertFalse(readable.contains("uploads/team-e"), "no key of the run is readable in the history");
            }
        }
        // Today's code replays the encrypted history with the codec; without it, it cannot read the inputs.
        WorkflowExecutionHistory recorded = WorkflowExecutionHistory.fromJson(history);
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(encrypted).build()).build())) {
            WorkflowReplayer.replayWorkflowExecution(recorded, env, RetrainWorkflowImpl.class);
        }
        assertThrows(Exception.class, () -> WorkflowReplayer.replayWorkflowExecution(recorded, RetrainWorkflowImpl.class));
    }

    @Test
    void theGoldenPlainHistoriesReplayWithTheCodecOn() throws Exception {
        DataConverter encrypted = TemporalConnection.dataConverter(KEYS);
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(encrypted).build()).build());
             var files = Files.list(Path.of("src", "test", "resources", "histories"))) {
            io.temporal.worker.Worker worker = env.newWorker("replay");
            worker.registerWorkflowImplementationTypes(RetrainWorkflowImpl.class, ModelRegistryWorkflowImpl.class,
                    dev.trainlayer.workflows.workflow.SearchWorkflowImpl.class, dev.trainlayer.workflows.workflow.MonitorWorkflowImpl.class);
            int replayed = 0;
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(file)), worker);
                replayed++;
            }
            assertTrue(replayed > 5, "the golden histories were replayed: " + replayed);
        }
    }

    /** Every payload's data in a history JSON, base64-decoded and joined: what a reader of the history could see. */
    static String decodedPayloadData(String historyJson) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"data\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"").matcher(historyJson);
        while (m.find()) {
            out.append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.ISO_8859_1)).append('\n');
        }
        return out.toString();
    }
}
