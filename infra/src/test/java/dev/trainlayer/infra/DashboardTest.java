package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Chromium, as a person uses it, on the embedded stack with real training: log in
 * with the stack's key, watch a searched run's page update while its trials train (no reload), then check
 * every plot against the run's own data — one point (or line, or bar) per trial, read from each chart's data —
 * and the model and compare pages likewise. Screenshots go to {@code target/ui/}.
 */
class DashboardTest {
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    @TempDir
    static Path home;
    static DevStack stack;
    static ApiClient api;
    static String dataUri;
    static Chromium chromium;

    /**
     * An MLP search over three numeric parameters, trials long enough (no early stop, small batches) that the page
     * is seen changing while one trains.
     */
    static String searchSpec() {
        return """
                name: dash
                task: classification
                target: diagnosis
                data: {uri: "%s"}
                metric: roc_auc
                search: {trials: 6, parallelism: 2, pruning: {rule: none}}
                models:
                  - type: mlp
                    params: {maxEpochs: 200, patience: 200, batchSize: 8, hiddenLayers: [16]}
                    space:
                      learningRate: {low: 0.0005, high: 0.02, log: true}
                      weightDecay: {low: 0.000001, high: 0.001, log: true}
                      dropout: {low: 0.0, high: 0.3}
                seed: 11
                """.formatted(dataUri);
    }

    /** A second run of the same pipeline, one XGBoost trial: something to compare the search with. */
    static String singleSpec() {
        return """
                name: dash
                task: classification
                target: diagnosis
                data: {uri: "%s"}
                metric: roc_auc
                models:
                  - type: xgboost
                    params: {numRounds: 60, earlyStoppingRounds: 60, maxDepth: 3}
                seed: 12
                """.formatted(dataUri);
    }

    @BeforeAll
    static void start() throws Exception {
        stack = DevStack.start(DevStack.Options.ephemeral(home, 2));
        api = stack.apiClient();
        dataUri = DemoData.uploadBreastCancer(api);
        chromium = Chromium.start(home.resolve("chromium"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Opens a dashboard page; the first time, through the login page with the stack's key. */
    static void open(String path) throws Exception {
        // Marks the page being left, so nothing below reads it instead of the new one.
        chromium.eval("window.leaving = true");
        chromium.navigate(stack.apiUrl() + path);
        chromium.await("the page or the login form", "!window.leaving && (location.pathname === '/ui/login' || (window.trainlayer && true))",
                Duration.ofSeconds(30));
        if (chromium.eval("location.pathname").asText().equals("/ui/login")) {
            chromium.eval("document.getElementById('key').value = " + Chromium.quote(stack.options().access().token())
                    + "; document.querySelector('form').submit(); true");
            chromium.await("the page after logging in", "location.pathname === " + Chromium.quote(path.replaceAll("\\?.*", ""))
                    + " && window.trainlayer && true", Duration.ofSeconds(30));
        }
        chromium.await("the page drawn", "!window.leaving && window.trainlayer.ready === true", Duration.ofSeconds(60));
    }

    /** The page's script ran without an error (the dashboard records them in window.trainlayer.errors). */
    static void noScriptErrors(String page) throws Exception {
        assertEquals("[]", chromium.eval("JSON.stringify(window.trainlayer.errors)").asText(), "script errors on the " + page + " page");
    }

    /** The number of data items in series {@code series} of the chart named {@code chart}. */
    static int points(String chart, int series) throws Exception {
        return chromium.eval("(() => { const c = window.trainlayer.charts[" + Chromium.quote(chart) + "]; "
                + "return c ? c.getOption().series[" + series + "].data.length : -1; })()").asInt();
    }

    static JsonNode option(String chart) throws Exception {
        return chromium.eval("JSON.parse(JSON.stringify(window.trainlayer.charts[" + Chromium.quote(chart) + "].getOption().series))");
    }

    @Test
    void theRunModelAndComparePagesDrawTheRunsOwnDataAndFollowTheRunLive() throws Exception {
        ApiClient.Response started = api.postSpec(searchSpec());
        assertEquals(202, started.status(), started.body()::toString);
        String runId = started.body().path("runId").asText();

        // Logged in through the login page, the run page follows the run: curves grow while trials train.
        open("/ui/runs/" + runId);
        double loadedAt = chromium.eval("window.trainlayer.loadedAt").asDouble();
        String curvePoints = "(() => { const c = window.trainlayer.charts['curves']; if (!c) return 0; "
                + "return c.getOption().series.reduce((n, s) => n + s.data.length, 0); })()";
        chromium.await("a learning curve drawn while a trial trains", curvePoints + " > 0", Duration.ofMinutes(3));
        int before = chromium.eval(curvePoints).asInt();
        String runningEpochs = "[...document.querySelectorAll('#trials tbody tr')].filter(r => r.innerText.includes('RUNNING'))"
                + ".map(r => r.querySelector('.epochs').innerText).join(',')";
        String epochsBefore = chromium.eval(runningEpochs).asText();
        chromium.await("the curves growing without a reload", curvePoints + " > " + before, Duration.ofMinutes(2));
        assertTrue(chromium.eval("window.trainlayer.events.includes('trial.progress')").asBoolean(),
                "progress came over the event stream");
        assertEquals(loadedAt, chromium.eval("window.trainlayer.loadedAt").asDouble(), "the page was not reloaded");
        chromium.screenshot(Path.of("target", "ui", "dashboard-run-live.png"));
        System.out.println("run page while training: curve points " + before + " -> " + chromium.eval(curvePoints).asInt()
                + ", running trials' epochs " + epochsBefore + " -> " + chromium.eval(runningEpochs).asText());

        JsonNode run = api.awaitRun(runId, RUN_TIMEOUT, r -> { });
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        try {
            // The header can say SUCCEEDED before the stream brings the last phases (a refresh after the last trial may see
            // the ended run up to one poll of the stream earlier): wait for run.finished and the redraw that follows it.
            chromium.await("the page showing the finished run", "document.querySelector('h1').innerText.includes('SUCCEEDED')"
                    + " && window.trainlayer.state.run.status === 'SUCCEEDED' && window.trainlayer.state.run.modelVersion"
                    + " && window.trainlayer.state.events.some(e => e.type === 'run.finished')", Duration.ofSeconds(60));
            String phaseEvents = "window.trainlayer.state.events.filter(e => e.type === 'phase').length";
            chromium.await("every phase drawn", "window.trainlayer.charts['phases'] && window.trainlayer.charts['phases'].getOption()"
                    + ".series[0].data.length === " + phaseEvents, Duration.ofSeconds(30));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the page: " + chromium.eval("JSON.stringify({h1: document.querySelector('h1').innerText, "
                    + "status: window.trainlayer.state.run.status, source: window.trainlayer.source && window.trainlayer.source.readyState, "
                    + "events: window.trainlayer.events.filter(e => e !== 'trial.progress'), errors: window.trainlayer.errors})"), e);
        }
        // The page's last redraw after the end: every trial done.
        chromium.await("every trial finished on the page", "window.trainlayer.state.run.trials.every(t => t.status !== 'RUNNING')",
                Duration.ofSeconds(30));
        assertEquals(loadedAt, chromium.eval("window.trainlayer.loadedAt").asDouble(), "the page was not reloaded");
        checkRunPlots(runId);
        Files.createDirectories(Path.of("target", "ui"));
        chromium.screenshotFullPage(Path.of("target", "ui", "dashboard-run.png"), 8000);
        noScriptErrors("run");
        chromium.screenshotFullPage(Path.of("target", "ui", "dashboard-run-top.png"), 2400);

        // A second run of the pipeline, then the model page: two versions, the champion's card and lineage.
        ApiClient.Response second = api.postSpec(singleSpec());
        assertEquals(202, second.status(), second.body()::toString);
        String secondId = second.body().path("runId").asText();
        JsonNode secondRun = api.awaitRun(secondId, RUN_TIMEOUT, r -> { });
        assertTrue(Set.of("SUCCEEDED", "REJECTED").contains(secondRun.path("status").asText()), secondRun::toString);

        JsonNode model = api.get("/api/v1/models/dash").body();
        int versions = model.path("versions").size();
        // Production traffic for the monitoring panel: 60 predictions with the champion.
        List<String> lines = java.nio.file.Files.readAllLines(DemoData.BREAST_CANCER);
        ApiClient.Response predicted = api.send("POST", "/api/v1/models/dash/predict", "text/csv",
                java.net.http.HttpRequest.BodyPublishers.ofString(String.join("\n", lines.subList(0, 61)) + "\n"));
        assertEquals(200, predicted.status(), predicted.body()::toString);
        open("/ui/models/dash");
        chromium.await("the model card", "document.querySelector('#model-card h2') !== null", Duration.ofSeconds(30));
        assertEquals(versions, chromium.eval("document.querySelectorAll('#versions tbody tr').length").asInt());
        JsonNode metricsByVersion = option("versions");
        assertTrue(metricsByVersion.size() > 0);
        for (JsonNode series : metricsByVersion) {
            assertEquals(versions, series.path("data").size(), "one point per version: " + series);
        }
        long moves = 0;
        for (JsonNode a : model.path("audit")) {
            if (Set.of("PROMOTE", "ROLLBACK", "RECOVERED").contains(a.path("action").asText()) && a.path("version").isInt()) {
                moves++;
            }
        }
        assertTrue(moves > 0);
        assertEquals(moves, points("champion", 0), "one point per champion change");
        assertEquals(model.path("audit").size(), chromium.eval("document.querySelectorAll('#audit tbody tr').length").asInt());
        String card = chromium.eval("document.getElementById('model-card').innerText").asText();
        assertTrue(card.contains("Test-set metrics") && card.contains("roc_auc"), card);
        assertTrue(card.contains("Metrics with 95% intervals") && card.contains("Per class") && card.contains("Confusion matrix")
                && card.contains("Limitations"), card);
        assertTrue(chromium.eval("[...document.querySelectorAll('#versions button')].some(b => b.textContent === 'Reproduce')").asBoolean(),
                "a Reproduce button per version for a trainer");
        assertTrue(chromium.eval("document.querySelector('#model-card table') !== null").asBoolean(), "the card's tables are rendered");
        String lineage = chromium.eval("document.getElementById('lineage').innerText").asText();
        int champion = model.path("champion").path("version").asInt();
        String sha = model.path("champion").path("lineage").path("datasetSha256").asText();
        assertTrue(lineage.contains(sha.substring(0, 12)), lineage);
        if (champion > 1) {
            // The version shown (the champion) against the one before it: GET /diff, drawn as fields and metric deltas.
            chromium.await("the changes from the version before", "document.querySelector('#diff-metrics') !== null", Duration.ofSeconds(30));
            JsonNode diff = api.get("/api/v1/models/dash/diff?from=" + (champion - 1) + "&to=" + champion).body();
            assertEquals(diff.path("metrics").size(), chromium.eval("document.querySelectorAll('#diff-metrics tbody tr').length").asInt());
            String changes = chromium.eval("document.getElementById('version-diff').innerText").asText();
            assertTrue(changes.contains("Changes from v" + (champion - 1) + " to v" + champion) && !changes.contains("undefined"), changes);
        }
        chromium.await("the monitoring panel", "document.querySelector('#drift') !== null", Duration.ofSeconds(30));
        String facts = chromium.eval("document.getElementById('monitoring-facts').innerText").asText();
        assertTrue(facts.contains("Predictions") && facts.contains("60"), facts);
        assertFalse(chromium.eval("document.getElementById('monitoring').innerText").asText().contains("null"));
        int columns = api.get("/api/v1/models/dash/monitoring").body().path("predictions").path("columns").size();
        assertTrue(columns > 0);
        assertEquals(columns, chromium.eval("document.querySelectorAll('#drift tbody tr').length").asInt(), "one row per column");
        chromium.screenshotFullPage(Path.of("target", "ui", "dashboard-model.png"), 3000);
        noScriptErrors("model");
        System.out.println("model page: " + versions + " versions, champion v" + champion + ", " + moves + " champion changes");

        // Compare the two runs: metric deltas, parameter differences and both best trials' curves on one chart.
        open("/ui/compare?ids=" + runId + "," + secondId);
        JsonNode overlaid = option("compare-curves");
        assertEquals(2, overlaid.size(), "one curve per run");
        for (JsonNode series : overlaid) {
            int drawn = 0;
            for (JsonNode point : series.path("data")) {
                drawn += point.path(1).isNumber() ? 1 : 0;
            }
            assertTrue(drawn > 10, "a curve drawn for " + series.path("name") + ": " + series.path("data"));
        }
        JsonNode compared = api.get("/api/v1/runs/compare?ids=" + runId + "," + secondId).body();
        Set<String> metricNames = new HashSet<>();
        compared.path("runs").forEach(r -> r.path("metrics").fieldNames().forEachRemaining(metricNames::add));
        assertEquals(metricNames.size(), chromium.eval("document.querySelectorAll('#compare-metrics tbody tr').length").asInt());
        assertTrue(chromium.eval("document.querySelectorAll('#compare-params tr.differs').length").asInt() > 0,
                "an MLP and an XGBoost trial differ in their parameters");
        chromium.screenshotFullPage(Path.of("target", "ui", "dashboard-compare.png"), 3000);
        noScriptErrors("compare");

        // A failed run's page names the failure type and what to do about it.
        ApiClient.Response failing = api.postSpec(singleSpec().replace(dataUri, dataUri.replaceAll("[0-9a-f]{64}", "0".repeat(64))));
        assertEquals(202, failing.status(), failing.body()::toString);
        String failedId = failing.body().path("runId").asText();
        assertEquals("FAILED", api.awaitRun(failedId, RUN_TIMEOUT, r -> { }).path("status").asText());
        open("/ui/runs/" + failedId);
        String failure = chromium.await("the failure", "document.querySelector('.failure') && document.querySelector('.failure').innerText",
                Duration.ofSeconds(30)).asText();
        assertTrue(failure.contains("DATASET_NOT_FOUND") && failure.contains("What to do"), failure);
        noScriptErrors("failed run");

        // The runs page lists all three with their trigger, and filters them; the pipeline page has every trial of both searches.
        open("/ui/");
        String listed = chromium.eval("document.getElementById('main').innerText").asText();
        assertEquals(3, chromium.eval("document.querySelectorAll('#runs tbody tr').length").asInt(), listed);
        assertTrue(chromium.eval("document.querySelector('#runs').innerText.includes('api')").asBoolean());
        open("/ui/?status=FAILED");
        assertEquals(1, chromium.eval("document.querySelectorAll('#runs tbody tr').length").asInt());
        assertEquals(failedId, chromium.eval("document.querySelector('#runs tbody tr').dataset.run").asText());
        open("/ui/pipelines/dash");
        JsonNode ledger = api.get("/api/v1/pipelines/dash/trials").body().path("trials");
        int scored = 0;
        for (JsonNode t : ledger) {
            scored += t.path("objective").isNumber() ? 1 : 0;
        }
        JsonNode perRun = option("pipeline-trials");
        int drawn = 0;
        for (JsonNode series : perRun) {
            drawn += series.path("data").size();
        }
        assertEquals(scored, drawn, "one point per trial across the pipeline's runs");
        assertTrue(chromium.eval("document.querySelector('main').innerText.includes('No triggers')").asBoolean());
        noScriptErrors("pipeline");

        // A reproduction's page says what it found.
        ApiClient.Response reproducing = api.postJson("/api/v1/models/dash/versions/1/reproduce", "{}");
        assertEquals(202, reproducing.status(), reproducing.body()::toString);
        String reproductionId = reproducing.body().path("runId").asText();
        assertEquals("SUCCEEDED", api.awaitRun(reproductionId, RUN_TIMEOUT, r -> { }).path("status").asText());
        open("/ui/runs/" + reproductionId);
        String found = chromium.await("the reproduction", "document.querySelector('#reproduction') && document.querySelector('#reproduction').innerText",
                Duration.ofSeconds(30)).asText();
        assertTrue(found.contains("identical") && !found.contains("not identical") && found.contains("v1"), found);
        noScriptErrors("reproduction");
    }

    /** Each plot of a finished search against the run as the API reports it. */
    static void checkRunPlots(String runId) throws Exception {
        JsonNode run = api.get("/api/v1/runs/" + runId).body();
        List<JsonNode> trials = new ArrayList<>();
        run.path("trials").forEach(trials::add);
        List<JsonNode> scored = trials.stream().filter(t -> t.path("objective").isNumber()).toList();
        assertEquals(7, trials.size(), "six searched and the winner's refit: " + run);
        assertTrue(trials.stream().anyMatch(t -> t.path("trialId").asText().equals(run.path("bestTrial").asText() + "/refit")
                && !t.path("objective").isNumber()), run::toString);
        assertTrue(scored.size() >= 5, "trials with a validation value: " + scored.size());

        assertEquals(scored.size(), points("history", 0), "optimization history: one point per trial");
        assertEquals(scored.size(), points("history", 1), "best so far: one point per trial");
        assertEquals(scored.size(), points("parallel", 0), "parallel coordinates: one line per trial");
        for (String param : List.of("learningRate", "weightDecay", "dropout")) {
            assertEquals(scored.size(), points("slice:" + param, 0), "slice plot of " + param + ": one point per trial");
        }
        assertEquals(scored.size(), points("contour", 1), "contour: one point per trial over the surface");
        assertTrue(points("contour", 0) >= 100, "the interpolated surface");
        if (run.path("importance").size() > 0) {
            assertEquals(run.path("importance").size(), points("importance", 0), "importance: one bar per parameter");
        }
        JsonNode curves = api.get("/api/v1/runs/" + runId + "/curves").body().path("curves");
        JsonNode drawnCurves = option("curves");
        assertEquals(trials.size(), curves.size(), "every trial has a curve");
        assertEquals(curves.size(), drawnCurves.size(), "learning curves: one line per trial");
        for (JsonNode series : drawnCurves) {
            String trialId = series.path("name").asText().replace(" (pruned)", "");
            assertEquals(curves.path(trialId).path("epochs").size(), series.path("data").size(), "the whole curve of " + trialId);
        }
        assertEquals(trials.size(), points("timeline", 0), "trial timeline: one bar per trial");
        String peak = chromium.eval("document.querySelector('#plot-timeline .peak').innerText").asText();
        assertTrue(peak.startsWith("Up to 2 trials"), "two trials trained at once (parallelism 2): " + peak);
        assertTrue(points("phases", 0) >= 5, "the run's phases");
        assertEquals(trials.size(), chromium.eval("document.querySelectorAll('#trials tbody tr').length").asInt());
        // The trials table sorts by a column when its header is clicked.
        chromium.eval("document.querySelector('#trials th[data-col=\"3\"]').click(); true");
        chromium.await("sorted by the objective", "document.querySelector('#trials th[data-col=\"3\"]').innerText.includes('▼')",
                Duration.ofSeconds(5));
        String firstRow = chromium.eval("document.querySelector('#trials tbody tr').dataset.trial").asText();
        assertEquals(run.path("bestTrial").asText(), firstRow, "the best trial first when sorted by " + run.path("metric").asText());
        assertTrue(chromium.eval("document.querySelector('#gates') !== null || document.querySelector('#metrics') !== null").asBoolean());
        System.out.println("run page: " + scored.size() + " trials plotted in history, parallel, 3 slices, contour, curves, timeline ("
                + peak + ")");
    }
}
