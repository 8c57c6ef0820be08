package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.StoreConfig;
import dev.trainlayer.workflows.client.TemporalConnection;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./trainlayer dev} as a user runs it: the launcher in its own JVM with its persistent servers (Temporal dev
 * server with SQLite and the web UI, MinIO) as its children. A schedule made through the API fires a run; the whole
 * stack — JVM and servers — is killed with SIGKILL while that run trains, and started again: models, schedules and
 * audit trails are what they were, and the run finishes with the model an uninterrupted run of the same spec, data
 * and seed made. The web UI shows the run (screenshot {@code target/ui/default-stack-run.png}).
 */
class DefaultStackIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static final List<Process> stacks = new ArrayList<>();
    static final Map<String, Integer> ports = Map.of(
            "TRAINLAYER_API_PORT", DevStack.freePort(), "TEMPORAL_PORT", DevStack.freePort(),
            "TEMPORAL_UI_PORT", DevStack.freePort(), "TEMPORAL_HTTP_PORT", DevStack.freePort(),
            "TEMPORAL_METRICS_PORT", DevStack.freePort(), "S3_PORT", DevStack.freePort(), "S3_CONSOLE_PORT", DevStack.freePort());

    @AfterAll
    static void stop() throws Exception {
        for (Process p : stacks) {
            if (p.isAlive()) {
                p.destroy(); // SIGTERM: the launcher's shutdown hook stops its servers
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    killWholeStack(p);
                }
            }
        }
    }

    /** {@code ./trainlayer dev} (what the script runs: the launcher's class path, native math on one thread), until it is up. */
    static Process startStack(String name) throws Exception {
        Path log = Files.createDirectories(Path.of("target", "it-logs")).resolve(name + ".log");
        Files.deleteIfExists(log);
        Path target = Path.of("target").toAbsolutePath();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dtrainlayer.xgboost.nthread=1", "-Dtrainlayer.checkpoint.interval=0s",
                "-cp", target.resolve("classes") + java.io.File.pathSeparator + Files.readString(target.resolve("classpath.txt")).trim(),
                "dev.trainlayer.infra.Launcher", "dev");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("TRAINLAYER_HOME", home.toString());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().remove("TRAINLAYER_API_KEYS");
        ports.forEach((k, v) -> builder.environment().put(k, String.valueOf(v)));
        Process p = builder.start();
        stacks.add(p);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos(); // the first start on a machine builds the servers
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log);
            if (out.contains("trainlayer dev stack is up") && out.contains("Ctrl-C stops the stack")) {
                assertTrue(out.contains("web UI http://127.0.0.1:" + ports.get("TEMPORAL_UI_PORT")), out);
                return p;
            }
            if (!p.isAlive()) {
                throw new AssertionError("./trainlayer dev exited (" + p.exitValue() + "):\n" + out);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("./trainlayer dev did not come up:\n" + Files.readString(log));
    }

    /** SIGKILL to the launcher's JVM and every process it started, at once: nothing runs a shutdown hook. */
    static void killWholeStack(Process p) throws Exception {
        List<ProcessHandle> all = new ArrayList<>(p.toHandle().descendants().toList());
        all.add(p.toHandle());
        assertTrue(all.size() >= 3, "the JVM and its two servers: " + all);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            h.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    static ApiClient api() throws Exception {
        return new ApiClient("http://127.0.0.1:" + ports.get("TRAINLAYER_API_PORT"), Files.readString(home.resolve("admin.key")).trim());
    }

    static String spec(String uri) {
        // Long enough to be killed mid-training (hundreds of small batches per epoch), no early stop.
        return """
                name: nightly
                task: classification
                target: diagnosis
                data: {uri: %s}
                seed: 11
                models:
                  - type: mlp
                    params: {hiddenLayers: [64, 64], batchSize: 2, maxEpochs: 30, patience: 1000}
                gates: {min: {accuracy: 0.5}, maxDropVsChampion: 1.0}
                """.formatted(uri);
    }

    /** What must survive: the model (versions, champion, history, audit) and the schedule, as the API shows them. */
    static JsonNode durableState(ApiClient api) throws Exception {
        ApiClient.Response model = api.get("/api/v1/models/nightly");
        ApiClient.Response schedule = api.get("/api/v1/pipelines/nightly/schedule");
        assertEquals(200, model.status(), model.body()::toString);
        assertEquals(200, schedule.status(), schedule.body()::toString);
        return JSON.createArrayNode().add(model.body()).add(schedule.body()); // equal as JSON: field order aside
    }

    static String trialModelSha256(ObjectStore store, JsonNode run) throws Exception {
        return JSON.readTree(store.getString(run.path("ledger").asText().replaceFirst("^s3://[^/]+/", "")).split("\n")[0]).path("trial").path("model").path("sha256").asText();
    }

    @Test
    void aScheduledRunSurvivesASigkillOfTheWholeDefaultStackAndTheWebUiShowsIt() throws Exception {
        Process first = startStack("default-stack-1");
        ApiClient api = api();
        ApiClient.Response upload = api.uploadDataset("nightly", Path.of("..", "examples", "data", "breast_cancer.csv"));
        assertEquals(201, upload.status(), upload.body()::toString);
        String spec = spec(upload.body().path("uri").asText());

        // The uninterrupted run: version 1, the champion.
        JsonNode reference = api.awaitRun(api.postSpec(spec).body().path("runId").asText(), Duration.ofMinutes(10), r -> { });
        assertEquals("SUCCEEDED", reference.path("status").asText(), reference::toString);
        assertEquals(1, reference.path("modelVersion").asInt(), reference::toString);

        // A schedule made through the API fires a run (triggerNow; then every hour).
        String body = JSON.createObjectNode().put("spec", spec).put("interval", "1h").put("triggerNow", true).put("overlap", "skip").toString();
        ApiClient.Response put = api.send("PUT", "/api/v1/pipelines/nightly/schedule", "application/json", HttpRequest.BodyPublishers.ofString(body));
        assertEquals(201, put.status(), put.body()::toString);
        String runId = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (runId == null && System.nanoTime() < deadline) {
            for (JsonNode recent : api.get("/api/v1/pipelines/nightly/schedule").body().path("recentRuns")) {
                runId = recent.path("runId").asText();
            }
            Thread.sleep(250);
        }
        assertTrue(runId != null && runId.startsWith("scheduled-"), "the schedule fired a run: " + runId);
        String workflowId = api.get("/api/v1/runs/" + runId).body().path("workflowId").asText();

        // What must survive, read while the run trains (it registers nothing until it ends), so the kill below
        // follows the first checkpoint without API round trips in between: a late kill let the resumed run finish
        // and register version 2 before the state was read again.
        JsonNode before = durableState(api);

        // Killed while it trains, after its first committed checkpoint.
        WorkflowServiceStubs stubs = TemporalConnection.stubs("127.0.0.1:" + ports.get("TEMPORAL_PORT"));
        JsonNode beat = null;
        deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && (beat == null || beat.path("epoch").asInt() < 1 || !beat.hasNonNull("checkpoint"))) {
            Thread.sleep(100);
            beat = WorkerCrashIT.trialHeartbeat(stubs, workflowId).orElse(null);
        }
        stubs.shutdownNow();
        assertTrue(beat != null && beat.path("epoch").asInt() >= 1 && beat.path("epoch").asInt() < 30, "killed mid-training: " + beat);
        killWholeStack(first);
        for (int port : ports.values()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                throw new AssertionError("port " + port + " still answers after the kill");
            } catch (java.io.IOException expected) {
                // nothing of the stack is left
            }
        }

        // Started again on the same data: nothing lost, the run goes on from its checkpoint.
        startStack("default-stack-2");
        assertEquals(before, durableState(api), "models, schedules and audit trails survive a kill -9 of the whole stack");
        JsonNode run = api.awaitRun(runId, Duration.ofMinutes(10), r -> { });
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        JsonNode trial = run.path("trials").get(0);
        assertTrue(trial.path("resumedFromEpoch").asInt() >= 1, "resumed from its checkpoint, not epoch 0: " + trial);
        ObjectStore store = ObjectStore.open(new StoreConfig("http://127.0.0.1:" + ports.get("S3_PORT"), RealServers.ACCESS_KEY,
                RealServers.SECRET_KEY, "trainlayer", "us-east-1"));
        assertEquals(trialModelSha256(store, reference), trialModelSha256(store, run), "the same model as the uninterrupted run");
        assertEquals(reference.path("metrics"), run.path("metrics"), "the same test-set metrics");
        assertEquals(2, run.path("modelVersion").asInt(), run::toString);
        System.out.println("default stack: killed with SIGKILL after epoch " + beat.path("epoch").asInt() + "; the scheduled run resumed from epoch "
                + trial.path("resumedFromEpoch").asInt() + " and registered the uninterrupted run's model as version 2");

        // The web UI, on the default stack, shows the scheduled run and its trial.
        String ui = "http://127.0.0.1:" + ports.get("TEMPORAL_UI_PORT");
        try (Chromium chromium = Chromium.start(home.resolve("chromium"))) {
            chromium.navigate(ui + "/namespaces/default/workflows?query="
                    + URLEncoder.encode("TrainlayerPipeline=\"nightly\"", StandardCharsets.UTF_8));
            String prefix = "/namespaces/default/workflows/" + URLEncoder.encode(workflowId, StandardCharsets.UTF_8).replace("+", "%20") + "/";
            String link = chromium.await("the scheduled run, listed by its pipeline", "[...document.querySelectorAll('a')]"
                    + ".map(a => a.getAttribute('href')).find(h => h && h.startsWith(" + Chromium.quote(prefix) + ") && h.endsWith('/history'))",
                    Duration.ofSeconds(60)).asText();
            chromium.navigate(ui + link);
            chromium.await("the run's workflow type", "document.body.innerText.includes('RetrainWorkflow')", Duration.ofSeconds(60));
            chromium.await("the trial activities in the history", "document.body.innerText.includes('TrainTrial')", Duration.ofSeconds(60));
            chromium.await("the run completed", "document.body.innerText.includes('Completed')", Duration.ofSeconds(60));
            Path shot = Path.of("target", "ui", "default-stack-run.png");
            Files.createDirectories(shot.getParent());
            Files.deleteIfExists(shot);
            chromium.screenshot(shot);
            assertTrue(Files.size(shot) > 10_000, "screenshot saved at " + shot.toAbsolutePath());
        }
    }
}
