package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.store.EmbeddedS3Server;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.client.TemporalConnection;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.workflow.RetrainInput;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testserver.TestServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker as deployed: a Micronaut context configured by properties, polling a real Temporal frontend. */
class WorkerApplicationTest {
    @TempDir
    Path dir;

    @Test
    void theConfiguredWorkerPollsAndRunsWorkflows() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(port, true);
             EmbeddedS3Server s3 = EmbeddedS3Server.start(dir, 0, "worker-key", "worker-secret");
             ApplicationContext context = ApplicationContext.run(Map.of(
                     WorkerHost.ENABLED, true,
                     "trainlayer.temporal.target", "127.0.0.1:" + port,
                     "trainlayer.store.endpoint", s3.endpoint(),
                     "trainlayer.store.access-key", "worker-key",
                     "trainlayer.store.secret-key", "worker-secret",
                     "trainlayer.worker.sticky", false))) {
            assertTrue(context.containsBean(WorkerHost.class));
            WorkflowServiceStubs stubs = TemporalConnection.stubs("127.0.0.1:" + port);
            WorkflowClient client = TemporalConnection.client(stubs, "default");
            RetrainWorkflow run = client.newWorkflowStub(RetrainWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId("retrain/smoke/1").setTaskQueue(TaskQueues.CONTROL).build());
            WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> run.run(new RetrainInput("1",
                    SpecParser.parse("name: smoke\ntask: regression\ntarget: y\ndata: {uri: \"s3://trainlayer/missing.csv\"}\n"), "test")));
            assertEquals(FailureTypes.DATASET_NOT_FOUND, ((ApplicationFailure) e.getCause()).getType());
            stubs.shutdownNow();
        }
    }

    @Test
    void withoutTheFlagNoWorkerStarts() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertTrue(!context.containsBean(WorkerHost.class));
        }
    }
}
