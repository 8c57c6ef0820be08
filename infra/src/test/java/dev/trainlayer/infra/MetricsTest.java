package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} after real runs on the embedded stack, parsed as Prometheus text (every line must parse):
 * runs started and finished by pipeline and status, run and trial durations, trials active, training samples,
 * gate rejections, webhook deliveries, the Temporal SDK's metrics and the JVM's; and every metric the shipped
 * Grafana dashboard queries is one that is really exported.
 */
class MetricsTest {
    @TempDir
    static Path home;
    static DevStack stack;
    static ApiClient api;
    static String dataUri;
    static HttpServer receiver;

    /** One sample: name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** A scrape: its samples, and the metric families its # TYPE lines declare. */
    record Scrape(List<Sample> samples, Map<String, String> types) {
        double sum(String name, Map<String, String> where) {
            return samples.stream().filter(s -> s.name().equals(name))
                    .filter(s -> where.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
                    .mapToDouble(Sample::value).sum();
        }

        Set<String> names() {
            Set<String> out = new TreeSet<>();
            samples.forEach(s -> out.add(s.name()));
            return out;
        }
    }

    static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? ([^ ]+)(?: -?\\d+)?");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** Prometheus text format 0.0.4; a line that does not parse fails the test. */
    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                assertEquals(2, parts.length, "a # TYPE line: " + line);
                assertTrue(Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1]), line);
                types.put(parts[0], parts[1]);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a Prometheus sample line: " + line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null && !m.group(2).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                    end = l.end();
                }
                assertEquals(m.group(2).length(), end, "labels that do not parse: " + line);
            }
            String v = m.group(3);
            double value = switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(v);
            };
            samples.add(new Sample(m.group(1), labels, value));
        }
        return new Scrape(samples, types);
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        stack = DevStack.start(DevStack.Options.ephemeral(home, 2));
        api = stack.apiClient();
        ApiClient.Response upload = api.uploadDataset("breast-cancer", Path.of("..", "examples", "data", "breast_cancer.csv"));
        assertEquals(201, upload.status(), upload.body()::toString);
        dataUri = upload.body().path("uri").asText();
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

    static String spec(String gates) {
        return """
                name: metrics-bc
                task: classification
                target: diagnosis
                data: {uri: "%s"}
                models:
                  - type: mlp
                    params: {maxEpochs: 10, hiddenLayers: [16]}
                  - type: xgboost
                    params: {numRounds: 30}
                %s
                seed: 5
                """.formatted(dataUri, gates);
    }

    Scrape scrape() throws Exception {
        ApiClient.Response r = api.get("/metrics");
        assertEquals(200, r.status(), r.body()::toString);
        assertTrue(r.body().isTextual(), "Prometheus text, not JSON");
        return parse(r.body().asText());
    }

    /** Temporal's reporter hands the SDK's and the workflows' meters over about once a second. */
    Scrape awaitScrape(Predicate<Scrape> ready) throws Exception {
        Scrape last = null;
        for (int i = 0; i < 60; i++) {
            last = scrape();
            if (ready.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        return last;
    }

    @Test
    void runsTrialsGatesAndWebhooksAreCountedAndTheDashboardQueriesRealMetrics() throws Exception {
        ApiClient.Response hook = api.send("PUT", "/api/v1/webhooks/metrics-hook", "application/json", HttpRequest.BodyPublishers.ofString(
                "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\", \"events\": [\"run.succeeded\"]}"));
        assertEquals(201, hook.status(), hook.body()::toString);
        Scrape before = scrape();
        Map<String, String> mlp = Map.of("family", "mlp");
        Map<String, String> xgb = Map.of("family", "xgboost");
        Map<String, String> delivered = Map.of("outcome", "delivered");

        JsonNode ok = run(spec(""));
        assertEquals("SUCCEEDED", ok.path("status").asText(), ok::toString);
        JsonNode rejected = run(spec("gates: {min: {roc_auc: 0.99999}}"));
        assertEquals("REJECTED", rejected.path("status").asText(), rejected::toString);

        Map<String, String> pipeline = Map.of("pipeline", "metrics-bc", "project", "default");
        Scrape after = awaitScrape(s -> s.sum("trainlayer_runs_finished_total", pipeline) >= 2
                && s.sum("trainlayer_webhook_deliveries_total", delivered) > before.sum("trainlayer_webhook_deliveries_total", delivered));

        assertEquals(2.0, after.sum("trainlayer_runs_started_total", Map.of("pipeline", "metrics-bc", "trigger", "api")));
        assertEquals(1.0, after.sum("trainlayer_runs_finished_total", Map.of("pipeline", "metrics-bc", "status", "SUCCEEDED")));
        assertEquals(1.0, after.sum("trainlayer_runs_finished_total", Map.of("pipeline", "metrics-bc", "status", "REJECTED")));
        assertEquals(1.0, after.sum("trainlayer_gate_rejections_total", Map.of("pipeline", "metrics-bc", "gate", "min.roc_auc")));
        assertEquals(2.0, after.sum("trainlayer_run_duration_seconds_count", pipeline));
        assertTrue(after.sum("trainlayer_run_duration_seconds_sum", pipeline) > 0);
        assertEquals("counter", after.types().get("trainlayer_runs_started_total"), after.types()::toString);

        for (Map<String, String> family : List.of(mlp, xgb)) {
            Map<String, String> completed = new LinkedHashMap<>(family);
            completed.put("status", "completed");
            assertEquals(2.0, after.sum("trainlayer_trial_duration_seconds_count", completed)
                    - before.sum("trainlayer_trial_duration_seconds_count", completed), "one trial per run: " + family);
            assertEquals(0.0, after.sum("trainlayer_trials_active", family), "nothing trains now: " + family);
            assertTrue(after.sum("trainlayer_training_samples_total", family) - before.sum("trainlayer_training_samples_total", family)
                    >= 2 * ok.path("rows").asDouble() * 0.5, "training rows counted per epoch or round: " + family);
        }
        assertTrue(after.sum("trainlayer_webhook_deliveries_total", Map.of("event", "run.succeeded", "outcome", "delivered")) >= 1);

        // The Temporal SDK's own metrics and the JVM's.
        Set<String> names = after.names();
        assertTrue(names.contains("temporal_request_total"), names::toString);
        assertTrue(names.contains("temporal_worker_task_slots_available"), names::toString);
        assertTrue(names.contains("jvm_memory_used_bytes"), names::toString);

        // Every trainlayer_/temporal_ metric the Grafana dashboard queries exists in a real scrape.
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(
                RealServers.repoRoot().resolve("infra/deploy/grafana/dashboards/trainlayer.json")));
        Set<String> queried = new TreeSet<>();
        Matcher metric = Pattern.compile("\\b((?:trainlayer|temporal)_[a-z_]+)").matcher("");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                metric.reset(target.path("expr").asText());
                while (metric.find()) {
                    queried.add(metric.group(1));
                }
            }
        }
        assertTrue(queried.size() >= 10, queried::toString);
        List<String> missing = queried.stream().filter(q -> !names.contains(q)).toList();
        assertTrue(missing.isEmpty(), "the dashboard queries metrics that are not exported: " + missing + "; exported: " + names);
        System.out.println("metrics: " + names.size() + " series names exported; the dashboard's " + queried.size() + " all present");
    }

    static JsonNode run(String spec) throws Exception {
        ApiClient.Response started = api.postSpec(spec);
        assertEquals(202, started.status(), started.body()::toString);
        return api.awaitRun(started.body().path("runId").asText(), Duration.ofMinutes(5), r -> { });
    }
}
