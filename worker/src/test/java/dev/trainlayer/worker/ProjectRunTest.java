package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.workflow.RetrainInput;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.RunStatus;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs of a project: their objects live under the project's keys, the snapshot refuses data outside the
 * project's reach, and a champion whose files changed in the store fails the next run as ARTIFACT_CORRUPT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectRunTest {
    static final String PROJECT = "team-x";
    static final String XGBOOST = """
            models:
              - type: xgboost
                params: {numRounds: 60, earlyStoppingRounds: 10}
            """;

    @TempDir
    static Path dir;
    static WorkflowHarness h;
    static String ownData;

    @BeforeAll
    static void start() throws Exception {
        h = new WorkflowHarness(dir);
        ownData = h.store.store.putBytes("uploads/" + PROJECT + "/bc/x.csv", Files.readAllBytes(StoreFixture.BREAST_CANCER), "text/csv").uri();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    static RetrainWorkflow start(PipelineSpec spec, String runId) {
        RetrainWorkflow run = h.client().newWorkflowStub(RetrainWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.retrain(PROJECT + "/" + spec.name(), runId))
                .setTaskQueue(TaskQueues.CONTROL)
                .setTypedSearchAttributes(SearchAttributes.starting(PROJECT, spec.name(), spec.modelName()))
                .build());
        WorkflowClient.start(run::run, new RetrainInput(runId, spec, "test", PROJECT));
        return run;
    }

    static String failure(RetrainWorkflow run) {
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> WorkflowStub.fromTyped(run).getResult(RunState.class));
        ApplicationFailure app = (ApplicationFailure) e.getCause();
        return app.getType() + ": " + app.getOriginalMessage();
    }

    @Test
    @Order(1)
    void theSnapshotRefusesDataOutsideTheProjectsReach() {
        // The harness's data is in another bucket that no admin opened to this project.
        String why = failure(start(WorkflowHarness.spec("outside", h.dataUri, "", XGBOOST), "run-outside"));
        assertTrue(why.startsWith(FailureTypes.DATA_ACCESS_DENIED + ": data.uri"), why);
        String internal = failure(start(WorkflowHarness.spec("internal", "s3://trainlayer/uploads/other-team/x.csv", "", XGBOOST), "run-internal"));
        assertTrue(internal.startsWith(FailureTypes.DATA_ACCESS_DENIED), internal);
    }

    @Test
    @Order(2)
    void aProjectsRunKeepsItsObjectsUnderTheProjectsKeys() {
        RunState run = WorkflowStub.fromTyped(start(WorkflowHarness.spec("integrity", ownData, "", XGBOOST), "run-1")).getResult(RunState.class);
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertTrue(h.store.store.exists("models/team-x/integrity/versions/1/model.json"));
        assertTrue(h.store.store.exists("models/team-x/integrity/aliases/champion.json"));
        assertTrue(h.store.store.exists("datasets/team-x/integrity/" + run.datasetSha256() + "/data.csv"));
        assertEquals(1, h.registry(PROJECT + "/integrity").championVersion().orElseThrow().version());
    }

    @Test
    @Order(3)
    void aChampionChangedInTheStoreFailsTheNextRunAsCorrupt() {
        String key = "models/team-x/integrity/versions/1/model.json";
        byte[] trees = h.store.store.getBytes("trainlayer", key);
        // One byte more: still a valid model file, no longer the one registered.
        h.store.store.putBytes(key, (new String(trees, java.nio.charset.StandardCharsets.UTF_8) + " ")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
        try {
            String why = failure(start(WorkflowHarness.spec("integrity", ownData, "", XGBOOST), "run-2"));
            assertTrue(why.startsWith(FailureTypes.ARTIFACT_CORRUPT + ": s3://trainlayer/models/team-x/integrity/versions/1/"), why);
        } finally {
            h.store.store.putBytes(key, trees, "application/json");
        }
        RunState repaired = WorkflowStub.fromTyped(start(WorkflowHarness.spec("integrity", ownData, "", XGBOOST), "run-3"))
                .getResult(RunState.class);
        assertTrue(repaired.status() == RunStatus.SUCCEEDED || repaired.status() == RunStatus.REJECTED, repaired.status()::toString);
    }
}
