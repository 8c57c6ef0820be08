package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A searched run's live view on the embedded stack with real training: {@code GET /runs/{id}} shows a running
 * trial's epoch and curve, and the event stream ({@code GET /runs/{id}/events}) delivers phases, trials and their
 * progress in order; a client that disconnects and reconnects with {@code Last-Event-ID} misses nothing and gets
 * nothing twice.
 */
class RunEventsTest {
    @TempDir
    static Path home;
    static DevStack stack;
    static ApiClient api;
    static String dataUri;

    /** Long enough trials (no early stop, small batches) that progress is seen while they train. */
    static String spec() {
        return """
                name: live-search
                task: classification
                target: diagnosis
                data: {uri: "%s"}
                metric: roc_auc
                search: {trials: 3, parallelism: 2, pruning: {rule: none}}
                models:
                  - type: mlp
                    params: {maxEpochs: 150, patience: 150, batchSize: 8, hiddenLayers: [32]}
                    space: {learningRate: {low: 0.0005, high: 0.003, log: true}}
                  - type: xgboost
                    params: {numRounds: 150, earlyStoppingRounds: 150}
                    space: {eta: {low: 0.01, high: 0.1, log: true}}
                seed: 7
                """.formatted(dataUri);
    }

    @BeforeAll
    static void start() throws Exception {
        stack = DevStack.start(DevStack.Options.ephemeral(home, 2));
        api = stack.apiClient();
        dataUri = DemoData.uploadBreastCancer(api);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void eventsArriveInOrderWhileTheRunTrainsAndAReconnectLosesNothing() throws Exception {
        ApiClient.Response started = api.postSpec(spec());
        assertEquals(202, started.status(), started.body()::toString);
        String runId = started.body().path("runId").asText();

        List<ApiClient.Sse> first = new ArrayList<>();
        JsonNode liveTrial = null;
        int progressSeen = 0;
        try (ApiClient.EventStream stream = api.events(runId, null)) {
            while (liveTrial == null || progressSeen < 3) {
                ApiClient.Sse e = stream.next();
                assertNotNull(e, "the stream ended before the run: " + first);
                first.add(e);
                if (e.name().equals("run.finished")) {
                    break;
                }
                if (e.name().equals("trial.progress")) {
                    progressSeen++;
                    if (liveTrial == null) {
                        liveTrial = runningTrialWithProgress(runId);
                    }
                }
            }
        }
        assertNotNull(liveTrial, "GET /runs/{id} never showed a running trial's progress");
        assertTrue(liveTrial.path("live").path("epoch").asInt() > 0, liveTrial::toString);
        assertTrue(liveTrial.path("live").path("curve").size() > 0, liveTrial::toString);
        assertTrue(liveTrial.path("epochs").asInt() > 0, "the trial's epoch so far: " + liveTrial);
        assertTrue(!first.get(first.size() - 1).name().equals("run.finished"), "the run ended before the test could reconnect");

        Thread.sleep(2000);   // things happen while the client is away
        List<ApiClient.Sse> rest = new ArrayList<>();
        try (ApiClient.EventStream stream = api.events(runId, first.get(first.size() - 1).id())) {
            for (ApiClient.Sse e = stream.next(); e != null; e = stream.next()) {
                rest.add(e);
            }
        }
        assertTrue(!rest.isEmpty(), "nothing after the reconnect");
        List<ApiClient.Sse> all = new ArrayList<>(first);
        all.addAll(rest);
        ApiClient.Sse end = all.get(all.size() - 1);
        assertEquals("run.finished", end.name(), "the stream ends with the run");
        assertEquals("SUCCEEDED", end.data().path("status").asText(), end::toString);

        JsonNode run = api.get("/api/v1/runs/" + runId).body();
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        checkOrder(all, run);

        // A client that connects after the end gets the same log from the start, then the stream ends.
        List<ApiClient.Sse> replay = new ArrayList<>();
        try (ApiClient.EventStream stream = api.events(runId, null)) {
            for (ApiClient.Sse e = stream.next(); e != null; e = stream.next()) {
                replay.add(e);
            }
        }
        assertEquals(logged(all).stream().map(RunEventsTest::describe).toList(), logged(replay).stream().map(RunEventsTest::describe).toList());
        checkOrder(replay, run);
    }

    static JsonNode runningTrialWithProgress(String runId) throws Exception {
        JsonNode run = api.get("/api/v1/runs/" + runId).body();
        for (JsonNode t : run.path("trials")) {
            if (t.path("status").asText().equals("RUNNING") && t.path("live").path("epoch").asInt() > 0) {
                return t;
            }
        }
        return null;
    }

    /** The events of the run's log (not progress, not a trial's own alerts): one per position, in order. */
    static List<ApiClient.Sse> logged(List<ApiClient.Sse> events) {
        return events.stream().filter(e -> !e.name().equals("trial.progress") && !e.data().has("alertId")).toList();
    }

    static String describe(ApiClient.Sse e) {
        return e.data().path("seq").asInt() + " " + e.name() + " " + e.data().path("phase").asText("") + e.data().path("trialId").asText("")
                + " " + e.data().path("status").asText("");
    }

    static void checkOrder(List<ApiClient.Sse> all, JsonNode run) {
        List<ApiClient.Sse> logged = logged(all);
        for (int i = 0; i < logged.size(); i++) {
            assertEquals(i, logged.get(i).data().path("seq").asInt(), "log positions without a gap or a repeat: "
                    + logged.stream().map(RunEventsTest::describe).toList());
        }
        List<String> phases = logged.stream().filter(e -> e.name().equals("phase")).map(e -> e.data().path("phase").asText()).toList();
        assertEquals(List.of("SNAPSHOT", "VALIDATE", "FEATURES", "TRAINING", "EVALUATE", "GATES", "REGISTER", "PROMOTE", "DONE"), phases);

        Map<String, List<Integer>> epochs = new LinkedHashMap<>();
        Map<String, String> state = new LinkedHashMap<>();
        for (ApiClient.Sse e : all) {
            String trial = e.data().path("trialId").asText(null);
            switch (e.name()) {
                case "trial.started" -> {
                    assertEquals(null, state.put(trial, "started"), "started twice: " + trial);
                    epochs.put(trial, new ArrayList<>());
                }
                case "trial.progress" -> {
                    assertEquals("started", state.get(trial), "progress of " + trial + " outside its start and end");
                    e.data().path("points").forEach(p -> epochs.get(trial).add(p.path("epoch").asInt()));
                }
                case "trial.finished", "trial.pruned" -> assertEquals("started", state.put(trial, "ended"), "ended twice: " + trial);
                default -> { }
            }
        }
        assertEquals(4, epochs.size(), "three trials and the winner's refit: " + epochs.keySet());
        for (JsonNode t : run.path("trials")) {
            List<Integer> seen = epochs.get(t.path("trialId").asText());
            assertNotNull(seen, "no events of trial " + t.path("trialId").asText());
            List<Integer> expected = new ArrayList<>();
            for (int k = 1; k <= t.path("epochs").asInt(); k++) {
                expected.add(k);
            }
            assertEquals(expected, seen, "every epoch of trial " + t.path("trialId").asText() + " exactly once, in order");
        }
    }
}
