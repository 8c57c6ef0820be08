package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks against real HTTP receivers on loopback, fed by real runs on the embedded stack: every body's
 * signature verifies with the webhook's secret, a receiver that answers 500 twice gets the same event (id, body,
 * signature) a third time and the deliveries endpoint shows the three attempts, and a trial whose loss goes
 * non-finite raises {@code trial.anomaly} at the receiver within 5 s of the epoch that showed it, while the run
 * itself goes on with its other trial and succeeds.
 */
class WebhooksTest {
    static final String SECRET = "s3cret-for-the-receiver-only";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static DevStack stack;
    static ApiClient api;
    static String dataUri;
    static HttpServer receiver;
    static String base;
    /** Every POST that reached the receiver, per path, in arrival order. */
    static final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    /** How many times /flaky has answered each event id. */
    static final Map<String, AtomicInteger> flakyCalls = new ConcurrentHashMap<>();

    record Received(Instant at, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/ok", exchange -> answer(exchange, "/ok", id -> 204));
        receiver.createContext("/flaky", exchange -> answer(exchange, "/flaky",
                id -> flakyCalls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() <= 2 ? 500 : 200));
        receiver.start();
        base = "http://127.0.0.1:" + receiver.getAddress().getPort();

        stack = DevStack.start(DevStack.Options.ephemeral(home, 2));
        api = stack.apiClient();
        ApiClient.Response upload = api.uploadDataset("diabetes", Path.of("..", "examples", "data", "diabetes.csv"));
        assertEquals(201, upload.status(), upload.body()::toString);
        dataUri = upload.body().path("uri").asText();
    }

    static void answer(HttpExchange exchange, String path, java.util.function.ToIntFunction<String> status) throws java.io.IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        received.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>()).add(new Received(Instant.now(), headers, body));
        int code = status.applyAsInt(String.valueOf(headers.get("x-trainlayer-event-id")));
        exchange.sendResponseHeaders(code, -1);
        exchange.close();
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

    static ApiClient.Response put(String name, String json) throws Exception {
        return api.send("PUT", "/api/v1/webhooks/" + name, "application/json", HttpRequest.BodyPublishers.ofString(json));
    }

    static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** Waits for the receiver to have what the check wants at a path. */
    static List<Received> await(String path, Predicate<List<Received>> check, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> now = List.copyOf(received.getOrDefault(path, List.of()));
            if (check.test(now)) {
                return now;
            }
            Thread.sleep(100);
        }
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    static boolean event(Received r, String event) {
        return event.equals(r.header("X-Trainlayer-Event"));
    }

    @Test
    void signedRetriedAndAnomalyDeliveriesFromARealRun() throws Exception {
        assertEquals(201, put("ops", """
                {"url": "%s/ok", "events": ["trial.anomaly", "run.succeeded", "model.promoted", "run.failed"],
                 "secret": "%s", "format": "json"}""".formatted(base, SECRET)).status());
        ApiClient.Response flaky = put("flaky", """
                {"url": "%s/flaky", "events": ["run.succeeded"], "pipelines": ["diabetes-units"], "secret": "%s"}"""
                .formatted(base, SECRET));
        assertEquals(201, flaky.status(), flaky.body()::toString);
        assertEquals(true, flaky.body().path("secretSet").asBoolean());
        assertFalse(flaky.body().toString().contains(SECRET), "the secret is never shown: " + flaky.body());
        // Another pipeline's events do not reach a webhook that lists pipelines.
        assertEquals(201, put("elsewhere", """
                {"url": "%s/elsewhere", "events": ["run.succeeded"], "pipelines": ["another-pipeline"]}""".formatted(base)).status());
        assertEquals(400, put("bad", "{\"url\": \"ftp://x\", \"events\": [\"run.succeeded\"]}").status());
        assertEquals(400, put("bad", "{\"url\": \"" + base + "\", \"events\": [\"run.exploded\"]}").status());

        // A units mix-up: body mass index in a unit 1e20 times too small, and scaling switched off for it. The
        // network's loss overflows at once; the trees do not care.
        String spec = """
                name: diabetes-units
                task: regression
                target: progression
                data: {uri: "%s"}
                metric: rmse
                features:
                  derived:
                    - {name: bmi_raw, expression: "bmi * 1e20"}
                  columns:
                    bmi_raw: {scale: none}
                models:
                  - type: mlp
                    params: {hiddenLayers: [32], maxEpochs: 20}
                  - type: xgboost
                    params: {numRounds: 60}
                seed: 3
                """.formatted(dataUri);
        ApiClient.Response started = api.postSpec(spec);
        assertEquals(202, started.status(), started.body()::toString);
        String runId = started.body().path("runId").asText();
        JsonNode run = api.awaitRun(runId, Duration.ofMinutes(5), r -> { });
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        JsonNode mlp = null;
        for (JsonNode t : run.path("trials")) {
            if (t.path("type").asText().equals("mlp")) {
                mlp = t;
            }
        }
        assertEquals("FAILED", mlp.path("status").asText(), run::toString);

        // trial.anomaly: at the receiver within 5 s of the epoch that showed the non-finite loss.
        List<Received> ok = await("/ok", l -> l.stream().anyMatch(r -> event(r, "trial.anomaly"))
                && l.stream().anyMatch(r -> event(r, "run.succeeded")), Duration.ofSeconds(30));
        Received anomaly = ok.stream().filter(r -> event(r, "trial.anomaly")).findFirst().orElseThrow(() -> new AssertionError(
                "no trial.anomaly reached the receiver: " + ok.stream().map(r -> r.header("X-Trainlayer-Event")).toList()));
        JsonNode alert = anomaly.json();
        assertEquals(runId, alert.path("runId").asText(), alert::toString);
        assertEquals("non-finite", alert.path("data").path("kind").asText(), alert::toString);
        assertEquals(mlp.path("trialId").asText(), alert.path("data").path("trialId").asText(), alert::toString);
        assertEquals("diabetes-units", alert.path("pipeline").asText(), alert::toString);
        Instant raised = Instant.parse(alert.path("at").asText());
        Duration late = Duration.between(raised, anomaly.at());
        System.out.println("trial.anomaly (" + alert.path("summary").asText() + ") reached the receiver " + late.toMillis()
                + " ms after the epoch showed it");
        assertTrue(late.toMillis() <= 5000, "anomaly delivered " + late.toMillis() + " ms after it was raised");
        assertEquals(1, ok.stream().filter(r -> event(r, "trial.anomaly")).count(), "raised once");

        // Every body the receivers got is signed with the webhook's secret over its exact bytes.
        for (Received r : ok) {
            assertEquals(hmac(r.body()), r.header("X-Trainlayer-Signature"), () -> new String(r.body(), StandardCharsets.UTF_8));
            assertEquals(r.json().path("id").asText(), r.header("X-Trainlayer-Event-Id"));
            assertEquals(r.json().path("event").asText(), r.header("X-Trainlayer-Event"));
        }
        assertTrue(ok.stream().anyMatch(r -> event(r, "model.promoted")), "the first model is promoted and announced");

        // The flaky receiver: 500, 500, then 200 for the same event, same id, same bytes, attempts 1..3.
        List<Received> retried = await("/flaky", l -> l.size() >= 3, Duration.ofSeconds(30));
        assertEquals(3, retried.size(), "three attempts, the third delivered");
        for (int i = 0; i < 3; i++) {
            Received r = retried.get(i);
            assertEquals(runId + "/run.succeeded", r.header("X-Trainlayer-Event-Id"));
            assertEquals(String.valueOf(i + 1), r.header("X-Trainlayer-Delivery-Attempt"));
            assertEquals(hmac(r.body()), r.header("X-Trainlayer-Signature"));
            assertEquals(new String(retried.get(0).body(), StandardCharsets.UTF_8), new String(r.body(), StandardCharsets.UTF_8));
        }
        assertTrue(Duration.between(retried.get(0).at(), retried.get(2).at()).toMillis() >= 2500,
                "retries back off (1 s, then 2 s): " + retried.stream().map(Received::at).toList());
        JsonNode deliveries = awaitDeliveries("flaky", d -> d.path("outcome").asText().equals("delivered"));
        JsonNode attempts = deliveries.path("attempts");
        assertEquals(3, attempts.size(), deliveries::toString);
        assertEquals(500, attempts.get(0).path("status").asInt());
        assertEquals(500, attempts.get(1).path("status").asInt());
        assertEquals(200, attempts.get(2).path("status").asInt());

        // The run did not wait for the flaky receiver, and the pipeline filter held.
        Thread.sleep(500);
        assertTrue(received.getOrDefault("/elsewhere", List.of()).isEmpty(), "a webhook for another pipeline got nothing");

        // Listing, reading and deleting.
        JsonNode listed = api.get("/api/v1/webhooks").body();
        assertEquals(3, listed.path("webhooks").size(), listed::toString);
        assertFalse(listed.toString().contains(SECRET), listed::toString);
        assertEquals(204, api.send("DELETE", "/api/v1/webhooks/elsewhere", null, HttpRequest.BodyPublishers.noBody()).status());
        assertEquals(404, api.get("/api/v1/webhooks/elsewhere").status());
    }

    /** The webhook's record of the event, once the check holds. */
    static JsonNode awaitDeliveries(String webhook, Predicate<JsonNode> check) throws Exception {
        JsonNode last = null;
        for (int i = 0; i < 100; i++) {
            JsonNode body = api.get("/api/v1/webhooks/" + webhook + "/deliveries").body();
            if (body.path("deliveries").size() > 0) {
                last = body.path("deliveries").get(0);
                if (check.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("deliveries of " + webhook + " never showed what was expected: " + last);
    }
}
