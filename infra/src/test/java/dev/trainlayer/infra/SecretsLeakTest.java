package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.StoreConfig;
import dev.trainlayer.workflows.client.TemporalConnection;
import io.temporal.client.WorkflowClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets never leave configuration: a stack started with known secrets (API keys, the store's secret key) runs
 * a full retrain with an approval and a rollback, plus refused calls, and then every log line, every problem body,
 * every object in the store (artifacts, provenance, model cards, ledgers, indexes) and every Temporal history
 * (the payloads of every workflow and activity) is searched for each of them.
 */
class SecretsLeakTest {
    @TempDir
    Path home;

    static final class Captured extends AppenderBase<ILoggingEvent> {
        final StringBuilder text = new StringBuilder();

        @Override
        protected synchronized void append(ILoggingEvent e) {
            text.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            }
            e.getMDCPropertyMap().values().forEach(v -> text.append(v).append('\n'));
        }
    }

    @Test
    void noSecretAppearsInLogsProblemsArtifactsOrHistories() throws Exception {
        String admin = DevStack.ApiAccess.newSecret();
        String approver = DevStack.ApiAccess.newSecret();
        String viewer = DevStack.ApiAccess.newSecret();
        List<String> secrets = List.of(admin, approver, viewer, DevStack.DEV_SECRET_KEY);

        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        Captured captured = new Captured();
        captured.setContext(logs);
        captured.start();
        Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = logs.getLogger("dev.trainlayer");
        Level before = ours.getLevel();
        root.addAppender(captured);
        ours.setLevel(Level.DEBUG);
        StringBuilder answers = new StringBuilder();
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(home, 2).withAccess(new DevStack.ApiAccess(
                "ops:default:admin:" + admin + ",oncall:default:approver:" + approver + ",dash:default:viewer:" + viewer, admin)))) {
            ApiClient api = stack.apiClient();
            ApiClient.Response upload = api.uploadDataset("breast-cancer", Path.of("..", "examples", "data", "breast_cancer.csv"));
            String spec = Files.readString(Path.of("..", "examples", "breast-cancer.yaml")).replace("${DATA_URI}", upload.body().path("uri").asText())
                    .replace("mode: auto", "mode: approval\n  approvalTimeout: 1h");
            ApiClient.Response started = api.postSpec(spec, "Idempotency-Key", "secrets-1");
            assertEquals(202, started.status(), started.body()::toString);
            String runId = started.body().path("runId").asText();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!"AWAITING_APPROVAL".equals(api.get("/api/v1/runs/" + runId).body().path("phase").asText())) {
                assertTrue(System.nanoTime() < deadline, "the run never waited for approval");
                Thread.sleep(200);
            }
            answers.append(api.as(approver).postJson("/api/v1/runs/" + runId + "/approve", "{\"comment\": \"ok\"}").body());
            JsonNode run = api.awaitRun(runId, Duration.ofMinutes(5), r -> { });
            assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
            answers.append(run).append(api.get("/api/v1/models/breast-cancer").body())
                    .append(api.get("/api/v1/models/breast-cancer/versions/1").body())
                    .append(api.get("/api/v1/runs/" + runId + "/trials").body());
            // Refusals: a wrong key (one secret with a character changed), a too-low role, bad input.
            answers.append(api.as(admin.substring(0, admin.length() - 1) + "x").get("/api/v1/runs").body())
                    .append(api.as(viewer).postSpec(spec).body())
                    .append(api.postSpec("name: [").body())
                    .append(api.postJson("/api/v1/models/breast-cancer/rollback", "{}").body());

            StringBuilder stored = new StringBuilder();
            ObjectStore store = new ObjectStore(new StoreConfig(stack.s3Endpoint(), DevStack.DEV_ACCESS_KEY, DevStack.DEV_SECRET_KEY,
                    "trainlayer", "us-east-1"));
            int objects = 0;
            for (String key : store.list("")) {
                stored.append(key).append('\n').append(new String(store.getBytes("trainlayer", key), StandardCharsets.ISO_8859_1)).append('\n');
                objects++;
            }
            WorkflowClient client = TemporalConnection.client(stack.temporalStubs(), "default");
            StringBuilder histories = new StringBuilder();
            for (String id : List.of(run.path("workflowId").asText(), "registry/default/breast-cancer")) {
                histories.append(client.fetchHistory(id).toJson(true));
            }

            List<String> leaks = new ArrayList<>();
            for (String secret : secrets) {
                String shown = secret.substring(0, 6) + "…";
                if (captured.text.indexOf(secret) >= 0) {
                    leaks.add(shown + " in the logs");
                }
                if (answers.indexOf(secret) >= 0) {
                    leaks.add(shown + " in an API answer");
                }
                if (stored.indexOf(secret) >= 0) {
                    leaks.add(shown + " in the store");
                }
                if (histories.indexOf(secret) >= 0) {
                    leaks.add(shown + " in a Temporal history");
                }
            }
            System.out.println("secrets scan: " + secrets.size() + " secrets, " + captured.text.length() + " characters of logs, "
                    + objects + " objects, " + histories.length() + " characters of histories, " + answers.length()
                    + " characters of answers: " + leaks.size() + " leaks");
            assertTrue(objects > 10 && histories.length() > 10_000 && captured.text.length() > 1_000, "the scan saw the run");
            assertTrue(leaks.isEmpty(), String.join("; ", leaks));
        } finally {
            root.detachAppender(captured);
            ours.setLevel(before);
        }
    }
}
