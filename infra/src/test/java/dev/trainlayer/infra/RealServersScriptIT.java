package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.StoreConfig;
import dev.trainlayer.workflows.client.TemporalConnection;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** infra/scripts/real-servers.sh: start, answer, status, stop — what a person runs before starting a worker by hand. */
class RealServersScriptIT {
    @TempDir
    Path home;

    record Result(int exit, String output) {}

    Result script(String action, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", RealServers.repoRoot().resolve("infra/scripts/real-servers.sh").toString(),
                action).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), action + " did not finish: " + out);
        return new Result(p.exitValue(), out);
    }

    @Test
    void startedServersAnswerAndStopCleanly() throws Exception {
        int temporal = DevStack.freePort();
        int s3 = DevStack.freePort();
        Map<String, String> env = Map.of("TRAINLAYER_REAL_HOME", home.toString(),
                "TEMPORAL_PORT", String.valueOf(temporal), "TEMPORAL_UI_PORT", String.valueOf(DevStack.freePort()),
                "TEMPORAL_HTTP_PORT", String.valueOf(DevStack.freePort()), "TEMPORAL_METRICS_PORT", String.valueOf(DevStack.freePort()),
                "S3_PORT", String.valueOf(s3), "S3_CONSOLE_PORT", String.valueOf(DevStack.freePort()));
        try {
            Result started = script("start", env);
            assertEquals(0, started.exit(), started.output());
            assertTrue(started.output().contains("trainlayer.temporal.target=127.0.0.1:" + temporal), started.output());
            assertEquals(0, script("status", env).exit(), "both running");

            WorkflowServiceStubs stubs = TemporalConnection.stubs("127.0.0.1:" + temporal);
            try {
                assertEquals("default", stubs.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder()
                        .setNamespace("default").build()).getNamespaceInfo().getName());
            } finally {
                stubs.shutdownNow();
            }
            ObjectStore store = ObjectStore.open(new StoreConfig("http://127.0.0.1:" + s3, RealServers.ACCESS_KEY, RealServers.SECRET_KEY,
                    "trainlayer", "us-east-1"));
            store.putString("hello.txt", "hi", "text/plain");
            assertEquals("hi", store.getString("hello.txt"));
            assertEquals(0, script("start", env).exit(), "starting again leaves the running servers alone");
        } finally {
            Result stopped = script("stop", env);
            assertEquals(0, stopped.exit(), stopped.output());
        }
        assertEquals(3, script("status", env).exit(), "both stopped");
        assertFalse(Files.exists(home.resolve("temporal.pid")) || Files.exists(home.resolve("minio.pid")));
        assertTrue(Files.exists(home.resolve("temporal/temporal.db")), "the SQLite file stays for the next start");
    }
}
