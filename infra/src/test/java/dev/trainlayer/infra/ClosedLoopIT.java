package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.Keys;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop end to end on the real servers (Temporal CLI dev server, MinIO), with real training: version 1 is
 * trained; the predict route's answers on the run's test rows reproduce its test accuracy; late labels are posted by
 * prediction id; a trigger with {@code minNewLabels} starts a run by itself whose snapshot holds the feedback rows (and
 * whose significance test against version 1 is on the run and the card); then drifted, wrongly-labelled feedback makes
 * the monitor report drift, send {@code model.drift} and {@code model.degraded}, and roll version 2 back to version 1
 * (audited {@code AUTO_ROLLBACK} with the evidence).
 */
class ClosedLoopIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static DevStack stack;
    static ApiClient api;
    static ObjectStore minio;
    static String spec;
    static HttpServer receiver;
    static final List<JsonNode> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            events.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        stack = DevStack.start(DevStack.Options.realOnFreePorts(home, DevStack.freePort(), 2));
        api = stack.apiClient();
        minio = stack.objectStore();
        String dataUri = DemoData.uploadBreastCancer(api);
        spec = """
                name: loop
                task: classification
                target: diagnosis
                data: {uri: "%s"}
                models:
                  - {type: xgboost, params: {numRounds: 60, maxDepth: 3}}
                metric: accuracy
                gates:
                  significance: {test: bootstrap, alpha: 0.05, resamples: 500}
                seed: 11
                """.formatted(dataUri);
        ApiClient.Response hook = api.send("PUT", "/api/v1/webhooks/loop", "application/json", HttpRequest.BodyPublishers.ofString("""
                {"url": "http://127.0.0.1:%d/hook", "events": ["model.drift", "model.degraded", "run.triggered", "model.rolled_back"]}"""
                .formatted(receiver.getAddress().getPort())));
        assertEquals(201, hook.status(), hook.body()::toString);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(500);
        }
    }

    static JsonNode event(String name) {
        return events.stream().filter(e -> name.equals(e.path("event").asText())).findFirst().orElse(null);
    }

    static String triggers(String extra) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{" + extra + "}");
        body.put("spec", spec);
        return JSON.writeValueAsString(body);
    }

    @Test
    void predictionsFeedbackTriggersDriftAndAutoRollbackCloseTheLoop() throws Exception {
        // Version 1.
        ApiClient.Response started = api.postSpec(spec);
        assertEquals(202, started.status(), started.body()::toString);
        JsonNode v1 = api.awaitRun(started.body().path("runId").asText(), Duration.ofMinutes(10), r -> { });
        assertEquals("SUCCEEDED", v1.path("status").asText(), v1::toString);
        assertEquals(1, v1.path("modelVersion").asInt());
        long baseRows = v1.path("rows").asLong();

        // Predictions on the run's frozen test rows reproduce its recorded accuracy.
        String csv = new String(minio.getBytes(minio.bucket(), Keys.features(v1.path("runId").asText()) + "test.csv"), StandardCharsets.UTF_8);
        Table test = Table.read(new StringReader(csv));
        ApiClient.Response predicted = api.send("POST", "/api/v1/models/loop/predict", "text/csv",
                HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8));
        assertEquals(200, predicted.status(), predicted.body()::toString);
        int target = test.column("diagnosis");
        int hits = 0;
        ArrayNode labels = JSON.createArrayNode();
        for (int i = 0; i < test.size(); i++) {
            JsonNode p = predicted.body().path("predictions").get(i);
            String truth = test.rows().get(i)[target].trim();
            hits += p.path("prediction").asText().equals(truth) ? 1 : 0;
            labels.addObject().put("predictionId", p.path("predictionId").asText()).put("label", truth);
        }
        assertEquals(v1.path("metrics").path("accuracy").asDouble(), (double) hits / test.size(), 1e-12,
                "served predictions reproduce the run's test accuracy");

        // Late labels by prediction id; the same labels again are a no-op; an unknown id is refused alone.
        labels.addObject().put("predictionId", "20200101T000000Z-deadbeef.0").put("label", "malignant");
        String labelBody = JSON.writeValueAsString(JSON.createObjectNode().set("labels", labels));
        ApiClient.Response posted = api.postJson("/api/v1/pipelines/loop/feedback", labelBody);
        assertEquals(201, posted.status(), posted.body()::toString);
        assertEquals(test.size(), posted.body().path("rows").asInt());
        assertEquals(1, posted.body().path("rejected").size(), posted.body()::toString);
        assertTrue(posted.body().path("rejected").get(0).path("error").asText().contains("no logged prediction"));
        ApiClient.Response again = api.postJson("/api/v1/pipelines/loop/feedback", labelBody);
        assertEquals(200, again.status(), again.body()::toString);
        assertTrue(again.body().path("duplicate").asBoolean());
        assertEquals(test.size(), api.get("/api/v1/pipelines/loop/feedback").body().path("totalRows").asInt(),
                "posting the same labels twice counts them once");

        // A trigger on new labels starts a run by itself; its snapshot holds the feedback rows.
        ApiClient.Response put = api.send("PUT", "/api/v1/pipelines/loop/triggers", "application/json",
                HttpRequest.BodyPublishers.ofString(triggers("\"minNewLabels\": 50, \"checkEvery\": \"1s\", \"cooldown\": \"0s\"")));
        assertEquals(201, put.status(), put.body()::toString);
        List<JsonNode> triggered = new ArrayList<>();
        await("a run started by the trigger", Duration.ofMinutes(2), () -> {
            JsonNode runs = api.get("/api/v1/runs?pipeline=loop&trigger=monitor").body().path("runs");
            runs.forEach(triggered::add);
            return runs.size() > 0;
        });
        String triggeredId = triggered.get(0).path("runId").asText();
        assertTrue(triggeredId.startsWith("triggered-"), triggeredId);
        JsonNode v2 = api.awaitRun(triggeredId, Duration.ofMinutes(10), r -> { });
        assertEquals("SUCCEEDED", v2.path("status").asText(), v2::toString);
        assertEquals("monitor", v2.path("trigger").asText());
        assertTrue(v2.path("triggerReason").asText().contains("new labels"), v2::toString);
        assertEquals(2, v2.path("modelVersion").asInt());
        assertEquals(test.size(), v2.path("feedbackRows").asInt(), v2::toString);
        assertEquals(baseRows + test.size(), v2.path("rows").asLong(), "the run's rows count the feedback rows");
        String sha = v2.path("datasetSha256").asText();
        Table snapshot = Table.read(new StringReader(new String(minio.getBytes(minio.bucket(), Keys.datasetData("default/loop", sha)),
                StandardCharsets.UTF_8)));
        assertEquals(baseRows + test.size(), snapshot.size(), "the snapshot holds the source rows and the feedback rows");
        JsonNode manifest = JSON.readTree(minio.getBytes(minio.bucket(), Keys.datasetFeedback("default/loop", sha)));
        assertEquals(1, manifest.size(), manifest::toString);
        assertEquals(test.size(), manifest.get(0).path("rows").asInt());
        JsonNode lineage = api.get("/api/v1/models/loop/versions/2").body().path("lineage");
        assertEquals(test.size(), lineage.path("feedbackRows").asInt(), lineage::toString);
        assertEquals(1, lineage.path("feedbackParts").asInt());
        assertNotNull(event("run.triggered"), "run.triggered reached the webhook: " + events);

        // The significance test against version 1, on the run and on the card.
        JsonNode comparison = v2.path("comparison");
        assertEquals("bootstrap", comparison.path("test").asText(), v2::toString);
        assertTrue(comparison.path("low").asDouble() <= comparison.path("improvement").asDouble()
                && comparison.path("improvement").asDouble() <= comparison.path("high").asDouble(), comparison::toString);
        String card = new String(minio.getBytes(minio.bucket(), Keys.modelVersion("default/loop", 2) + "card.md"), StandardCharsets.UTF_8);
        assertTrue(card.contains("## Against the champion") && card.contains("confidence interval"), card);

        // No new labels since version 2 was trained on them: the monitor starts nothing more.
        Thread.sleep(3000);
        assertEquals(1, api.get("/api/v1/runs?pipeline=loop&trigger=monitor").body().path("runs").size());

        // Drifted feedback with wrong labels: drift, alerts, and version 2 rolled back to version 1.
        put = api.send("PUT", "/api/v1/pipelines/loop/triggers", "application/json", HttpRequest.BodyPublishers.ofString(
                triggers("\"minNewLabels\": 100000, \"maxDrift\": 0.5, \"cooldown\": \"1h\", \"checkEvery\": \"1s\","
                        + "\"autoRollback\": {\"minLabels\": 50, \"margin\": 0.05}")));
        assertEquals(200, put.status(), put.body()::toString);
        Table source = Table.read(Files.newBufferedReader(Path.of("..", "examples", "data", "breast_cancer.csv")));
        int label = source.column("diagnosis");
        List<String[]> drifted = new ArrayList<>();
        for (int r = 0; r < 120; r++) {
            String[] row = source.rows().get(r).clone();
            for (int c = 0; c < row.length; c++) {
                if (c == label) {
                    row[c] = row[c].trim().equals("malignant") ? "benign" : "malignant";
                } else if (Table.isNumber(row[c])) {
                    row[c] = String.format(Locale.ROOT, "%.6g", Double.parseDouble(row[c]) * 3);
                }
            }
            drifted.add(row);
        }
        ApiClient.Response bad = api.send("POST", "/api/v1/pipelines/loop/feedback", "text/csv",
                HttpRequest.BodyPublishers.ofString(new Table(source.header(), drifted).toCsv()));
        assertEquals(201, bad.status(), bad.body()::toString);

        JsonNode monitoring = api.get("/api/v1/models/loop/monitoring?version=2").body();
        System.out.println("monitoring of version 2: " + monitoring);
        assertEquals(120, monitoring.path("live").path("labels").asInt(), monitoring::toString);
        assertTrue(monitoring.path("live").path("value").asDouble() < v1.path("metrics").path("accuracy").asDouble() - 0.05,
                "wrong labels make a poor live accuracy: " + monitoring.path("live"));
        assertTrue(monitoring.path("live").path("recorded").asDouble() > 0.9, monitoring.path("live")::toString);
        assertTrue(monitoring.path("feedback").path("maxPsi").asDouble() >= 0.5, monitoring::toString);
        assertFalse(monitoring.path("feedback").path("drifted").isEmpty(), monitoring::toString);
        JsonNode column = monitoring.path("feedback").path("columns").get(0);
        assertTrue(column.has("ksPValue") || column.has("chiSquarePValue"), column::toString);

        await("the automatic rollback", Duration.ofMinutes(2),
                () -> api.get("/api/v1/models/loop").body().path("champion").path("version").asInt() == 1);
        JsonNode model = api.get("/api/v1/models/loop").body();
        JsonNode last = null;
        for (JsonNode entry : model.path("audit")) {
            last = entry;
        }
        assertNotNull(last, model::toString);
        assertEquals("AUTO_ROLLBACK", last.path("action").asText(), model::toString);
        assertEquals(2, last.path("previousChampion").asInt());
        assertTrue(last.path("reason").asText().contains("live accuracy"), last::toString);
        await("model.drift, model.degraded and model.rolled_back at the webhook", Duration.ofSeconds(60),
                () -> event("model.drift") != null && event("model.degraded") != null && event("model.rolled_back") != null);
        JsonNode triggersView = api.get("/api/v1/pipelines/loop/triggers").body();
        assertEquals(2, triggersView.path("monitor").path("rolledBackFrom").asInt(), triggersView::toString);
        assertEquals(1, api.get("/api/v1/runs?pipeline=loop&trigger=monitor").body().path("runs").size(),
                "the cooldown held back a second triggered run");

        assertEquals(204, api.send("DELETE", "/api/v1/pipelines/loop/triggers", null, HttpRequest.BodyPublishers.noBody()).status());
        assertEquals(404, api.get("/api/v1/pipelines/loop/triggers").status());
    }
}
