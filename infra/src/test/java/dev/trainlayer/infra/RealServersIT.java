package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.StoreConfig;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack against real servers: the Temporal CLI dev server (SQLite persistence, visibility, web UI)
 * and MinIO, both built from their Go modules by infra/scripts/build-servers.sh and run as child
 * processes; the worker and the API as users run them. Real data, real training.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealServersIT {
    @TempDir
    static Path home;
    static DevStack stack;
    static ApiClient api;
    static String spec;
    /** A second project's admin: it must see none of project default's runs, models or schedules. */
    static ApiClient otherProject;

    @BeforeAll
    static void start() throws Exception {
        String admin = DevStack.ApiAccess.newSecret();
        String other = DevStack.ApiAccess.newSecret();
        stack = DevStack.start(DevStack.Options.realOnFreePorts(home, DevStack.freePort(), 2)
                .withAccess(new DevStack.ApiAccess("admin:default:admin:" + admin + ",b-admin:team-b:admin:" + other, admin)));
        api = stack.apiClient();
        otherProject = api.as(other);
        ApiClient.Response upload = api.uploadDataset("breast-cancer", Path.of("..", "examples", "data", "breast_cancer.csv"));
        assertEquals(201, upload.status(), upload.body()::toString);
        spec = Files.readString(Path.of("..", "examples", "breast-cancer.yaml")).replace("${DATA_URI}", upload.body().path("uri").asText());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static JsonNode run(String yaml) throws Exception {
        ApiClient.Response started = api.postSpec(yaml);
        assertEquals(202, started.status(), started.body()::toString);
        return api.awaitRun(started.body().path("runId").asText(), Duration.ofMinutes(10), r -> { });
    }

    /** Visibility is updated asynchronously: poll a list until it has {@code expected} runs. */
    static JsonNode awaitList(String query, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ApiClient.Response r = api.get("/api/v1/runs" + query);
            assertEquals(200, r.status(), r.body()::toString);
            if (r.body().path("runs").size() == expected || System.nanoTime() > deadline) {
                return r.body().path("runs");
            }
            Thread.sleep(250);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Visibility is eventually consistent: true as soon as the check holds, false after 30 s. */
    static boolean poll(Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(250);
        }
        return check.ok();
    }

    @Test
    @Order(1)
    void aFullRetrainRunOnTheRealServers() throws Exception {
        JsonNode run = run(spec);
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        assertTrue(run.path("metrics").path("accuracy").asDouble() >= 0.925, run.path("metrics")::toString);
        assertEquals(1, run.path("modelVersion").asInt());
        // The artifacts are in MinIO, readable by any S3 client.
        ObjectStore minio = minio();
        assertTrue(minio.exists("models/default/breast-cancer/aliases/champion.json"));
        assertTrue(minio.exists("models/default/breast-cancer/versions/1/card.md"));
        assertTrue(minio.exists("runs/" + run.path("runId").asText() + "/ledger.jsonl"));
    }

    @Test
    @Order(2)
    void runsAreListedBySearchAttributesThroughTheApiAndTemporal() throws Exception {
        JsonNode rejected = run(spec.replace("maxDropVsChampion: 0.01", "maxDropVsChampion: 0.01\n  min: {accuracy: 0.9999}"));
        assertEquals("REJECTED", rejected.path("status").asText(), rejected::toString);

        JsonNode all = awaitList("?pipeline=breast-cancer", 2);
        assertEquals(2, all.size(), all::toString);
        assertEquals(rejected.path("runId").asText(), all.get(0).path("runId").asText(), "newest first");
        JsonNode succeeded = awaitList("?pipeline=breast-cancer&status=SUCCEEDED", 1);
        assertEquals(1, succeeded.size(), succeeded::toString);
        assertEquals("SUCCEEDED", succeeded.get(0).path("status").asText());
        assertEquals(1, awaitList("?status=rejected", 1).size());
        assertEquals(0, awaitList("?pipeline=other", 0).size());
        assertEquals(400, api.get("/api/v1/runs?status=DONE").status());

        // The same attributes answer a list query in Temporal itself (what the web UI and the CLI use).
        WorkflowClient client = temporal();
        List<String> ids = new ArrayList<>();
        client.listExecutions(SearchAttributes.PIPELINE.getName() + " = 'breast-cancer' AND "
                + SearchAttributes.STATUS.getName() + " = 'REJECTED'").forEach(e -> ids.add(e.getExecution().getWorkflowId()));
        assertEquals(List.of("retrain/default/breast-cancer/" + rejected.path("runId").asText()), ids);

        // Projects: the visibility queries the API makes carry the caller's project.
        assertEquals(0, otherProject.get("/api/v1/runs").body().path("runs").size(), "another project lists none of them");
        assertEquals(0, otherProject.get("/api/v1/runs?pipeline=breast-cancer&status=REJECTED").body().path("runs").size());
        assertEquals(404, otherProject.get("/api/v1/runs/" + rejected.path("runId").asText()).status());
        List<String> inProject = new ArrayList<>();
        client.listExecutions(SearchAttributes.PROJECT.getName() + " = 'default' AND WorkflowType = 'RetrainWorkflow'")
                .forEach(e -> inProject.add(e.getExecution().getWorkflowId()));
        assertEquals(2, inProject.size(), inProject::toString);
        assertEquals(0, client.listExecutions(SearchAttributes.PROJECT.getName() + " = 'team-b'").count());
        List<String> good = new ArrayList<>();
        client.listExecutions(SearchAttributes.BEST_METRIC.getName() + " > 0.9 AND " + SearchAttributes.PIPELINE.getName()
                + " = 'breast-cancer'").forEach(e -> good.add(e.getExecution().getWorkflowId()));
        assertEquals(2, good.size(), "both runs carry their best validation value: " + good);

        // The trial activities are labelled in the history the web UI shows.
        List<String> summaries = new ArrayList<>();
        client.fetchHistory("retrain/default/breast-cancer/" + rejected.path("runId").asText()).getEvents().stream()
                .filter(e -> e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                        && e.hasUserMetadata())
                .forEach(e -> summaries.add(e.getUserMetadata().getSummary().getData().toStringUtf8()));
        assertTrue(summaries.stream().anyMatch(x -> x.contains("trial 00-mlp (mlp)") && x.contains("hiddenLayers")), summaries::toString);
    }

    @Test
    @Order(3)
    void registryOperationsOnTheRealServer() throws Exception {
        JsonNode second = run(spec.replace("hiddenLayers: [64, 32]", "hiddenLayers: [32]")
                .replace("maxDropVsChampion: 0.01", "maxDropVsChampion: 1.0"));
        assertEquals("SUCCEEDED", second.path("status").asText(), second::toString);
        int promoted = second.path("modelVersion").asInt();
        assertEquals(promoted, api.get("/api/v1/models/breast-cancer").body().path("champion").path("version").asInt());

        ApiClient.Response rollback = api.postJson("/api/v1/models/breast-cancer/rollback", "{\"reason\": \"canary alarms\"}");
        assertEquals(200, rollback.status(), rollback.body()::toString);
        JsonNode model = api.get("/api/v1/models/breast-cancer").body();
        assertEquals(1, model.path("champion").path("version").asInt(), model::toString);
        assertTrue(model.toString().contains("canary alarms"), "the audit trail keeps the reason: " + model);
        assertTrue(model.path("audit").toString().contains("\"admin\""), "the key's name is the actor: " + model.path("audit"));
        assertEquals(404, otherProject.get("/api/v1/models/breast-cancer").status(), "another project has no such model");
        assertEquals(404, otherProject.postJson("/api/v1/models/breast-cancer/rollback", "{}").status());
    }

    @Test
    @Order(4)
    void aScheduleStartsRunsThatSucceedAndCanBePausedTriggeredAndDeleted() throws Exception {
        // Nightly retrains continue the champion (version 1 again after the rollback above) on fresh data.
        String nightly = spec.replace("maxDropVsChampion: 0.01", "maxDropVsChampion: 0.05") + "\nincremental: {epochs: 5, rounds: 30}\n";
        String body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("spec", nightly).put("interval", "1h").put("triggerNow", true).put("overlap", "skip").toString();
        ApiClient.Response put = api.send("PUT", "/api/v1/pipelines/breast-cancer/schedule", "application/json",
                java.net.http.HttpRequest.BodyPublishers.ofString(body));
        assertEquals(201, put.status(), put.body()::toString);
        assertEquals("PT1H", put.body().path("interval").asText());
        assertEquals(false, put.body().path("paused").asBoolean());
        assertTrue(put.body().path("nextRuns").size() > 0, put.body()::toString);

        // triggerNow: Temporal starts a run at once; it indexes itself and is an ordinary run to the API.
        String runId = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (runId == null && System.nanoTime() < deadline) {
            for (JsonNode recent : api.get("/api/v1/pipelines/breast-cancer/schedule").body().path("recentRuns")) {
                runId = recent.path("runId").asText();
            }
            Thread.sleep(250);
        }
        assertTrue(runId != null && runId.startsWith("scheduled-"), "the schedule started a run: " + runId);
        JsonNode run = api.awaitRun(runId, Duration.ofMinutes(10), r -> { });
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        assertEquals(1, run.path("warmStartedFrom").asInt(), run::toString);
        assertEquals("00-incremental", run.path("trials").get(0).path("trialId").asText(), run::toString);
        assertEquals(1, run.path("trials").size(), "a continued champion instead of a fresh trial per candidate");
        String scheduledRun = runId;
        assertTrue(poll(() -> api.get("/api/v1/runs?pipeline=breast-cancer&limit=50").body().toString().contains(scheduledRun)),
                "the scheduled run is listed with the others");
        // The schedule's runs keep their project: in Temporal's visibility and to the API.
        assertTrue(poll(() -> temporal().listExecutions(SearchAttributes.PROJECT.getName() + " = 'default' AND "
                + SearchAttributes.PIPELINE.getName() + " = 'breast-cancer'")
                .anyMatch(e -> e.getExecution().getWorkflowId().startsWith("retrain/default/breast-cancer/scheduled"))),
                "the scheduled run carries TrainlayerProject");
        assertEquals(404, otherProject.get("/api/v1/runs/" + scheduledRun).status());
        assertEquals(404, otherProject.get("/api/v1/pipelines/breast-cancer/schedule").status(), "another project has no such schedule");
        assertFalse(otherProject.get("/api/v1/runs?pipeline=breast-cancer&limit=50").body().toString().contains(scheduledRun));

        ApiClient.Response paused = api.postJson("/api/v1/pipelines/breast-cancer/schedule/pause", "{\"note\": \"data freeze\"}");
        assertEquals(200, paused.status(), paused.body()::toString);
        assertTrue(paused.body().path("paused").asBoolean());
        assertEquals("data freeze (by admin)", paused.body().path("note").asText());
        assertEquals(false, api.postJson("/api/v1/pipelines/breast-cancer/schedule/resume", "{}").body().path("paused").asBoolean());
        assertEquals(202, api.postJson("/api/v1/pipelines/breast-cancer/schedule/trigger", "{}").status());

        ApiClient.Response wrong = api.send("PUT", "/api/v1/pipelines/breast-cancer/schedule", "application/json",
                java.net.http.HttpRequest.BodyPublishers.ofString("{\"spec\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(spec)
                        + ", \"cron\": \"0 2 * * *\", \"interval\": \"1h\"}"));
        assertEquals(400, wrong.status(), wrong.body()::toString);
        assertTrue(wrong.body().toString().contains("cron"), wrong.body()::toString);

        assertEquals(204, api.send("DELETE", "/api/v1/pipelines/breast-cancer/schedule", null,
                java.net.http.HttpRequest.BodyPublishers.noBody()).status());
        assertEquals(404, api.get("/api/v1/pipelines/breast-cancer/schedule").status());
        // A run triggered just before the delete may still be running: let it finish so the stack stops cleanly.
        for (JsonNode r : api.get("/api/v1/runs?pipeline=breast-cancer&status=RUNNING").body().path("runs")) {
            api.awaitRun(r.path("runId").asText(), Duration.ofMinutes(10), x -> { });
        }
    }

    /** A run whose frozen test rows were deleted while it trained: it failed late, after its trials. */
    record LateFailure(String runId, String workflowId) {
        /** The WorkflowTaskCompleted event right after the last TrainTrial completed: where the README says to reset. */
        long resetPointAfterTrials() {
            return RealServersIT.resetPointAfterTrials(temporal(), workflowId);
        }

        /** After a reset: the run succeeds and its latest execution scheduled only the two trials kept from before. */
        void assertCompletesWithoutTrainingAgain(String how) throws Exception {
            JsonNode done = api.awaitRun(runId, Duration.ofMinutes(10), r -> { });
            assertEquals("SUCCEEDED", done.path("status").asText(), done::toString);
            assertEquals(2, trialsScheduled(temporal(), workflowId, null), how + " kept the trials finished before the reset");
        }
    }

    /**
     * A run that failed late and the fix a person makes before resetting it: the deleted object put back (from
     * bucket versioning or a backup).
     */
    static LateFailure failedLateThenFixed(String pipeline) throws Exception {
        ObjectStore minio = minio();
        // Long enough training that the test rows can disappear while it runs.
        String slow = spec.replace("name: breast-cancer", "name: " + pipeline)
                .replace("hiddenLayers: [64, 32]", "hiddenLayers: [64, 32]\n      batchSize: 4\n      maxEpochs: 120\n      patience: 120");
        ApiClient.Response started = api.postSpec(slow);
        assertEquals(202, started.status(), started.body()::toString);
        String runId = started.body().path("runId").asText();
        String testRows = "runs/" + runId + "/features/test.csv";
        assertTrue(poll(() -> "TRAINING".equals(api.get("/api/v1/runs/" + runId).body().path("phase").asText())
                && minio.exists(testRows)), "the run reaches training");
        // A bucket lifecycle rule (or a person) deletes the frozen test rows while the trials train.
        byte[] saved = minio.getBytes("trainlayer", testRows);
        minio.delete(testRows);
        JsonNode failed = api.awaitRun(runId, Duration.ofMinutes(10), r -> { });
        assertEquals("FAILED", failed.path("status").asText(), failed::toString);
        assertEquals("ARTIFACT_MISSING", failed.path("failure").path("type").asText(), failed::toString);
        assertTrue(failed.path("failure").path("message").asText().contains("/reset"), failed::toString);
        minio.putBytes(testRows, saved, "text/csv");
        return new LateFailure(runId, "retrain/default/" + pipeline + "/" + runId);
    }

    /** The run id of the workflow's latest execution. */
    static String currentExecution(String workflowId) {
        return stack.temporalStubs().blockingStub().describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                        .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                .getWorkflowExecutionInfo().getExecution().getRunId();
    }

    static WorkflowClient temporal() {
        return WorkflowClient.newInstance(stack.temporalStubs());
    }

    static ObjectStore minio() {
        return ObjectStore.open(new StoreConfig(stack.s3Endpoint(), RealServers.ACCESS_KEY, RealServers.SECRET_KEY,
                "trainlayer", "us-east-1"));
    }

    /** TrainTrial activities scheduled in one execution of a workflow (null: its latest). */
    static long trialsScheduled(WorkflowClient client, String workflowId, String execution) {
        var history = execution == null ? client.fetchHistory(workflowId) : client.fetchHistory(workflowId, execution);
        return history.getEvents().stream()
                .filter(e -> e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                        && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("TrainTrial"))
                .count();
    }

    @Test
    @Order(5)
    void aRunThatFailsLateIsFixedAndResetWithoutTrainingAgain() throws Exception {
        LateFailure late = failedLateThenFixed("bc-reset");
        ApiClient.Response reset = api.postJson("/api/v1/runs/" + late.runId() + "/reset", "{\"reason\": \"test rows restored\"}");
        assertEquals(202, reset.status(), reset.body()::toString);
        assertEquals("training", reset.body().path("resetTo").asText());
        assertEquals(late.workflowId(), reset.body().path("workflowId").asText());
        late.assertCompletesWithoutTrainingAgain("the API reset");
        assertEquals(2, trialsScheduled(temporal(), late.workflowId(), reset.body().path("execution").asText()),
                "the execution the API answered with is the one that finished the run");
        assertEquals(400, api.postJson("/api/v1/runs/" + late.runId() + "/reset", "{\"to\": \"nowhere\"}").status());
    }

    static long resetPointAfterTrials(WorkflowClient client, String workflowId) {
        List<io.temporal.api.history.v1.HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
        long lastTrial = events.stream()
                .filter(e -> e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
                .filter(e -> events.stream().anyMatch(s -> s.getEventId() == e.getActivityTaskCompletedEventAttributes().getScheduledEventId()
                        && s.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("TrainTrial")))
                .mapToLong(io.temporal.api.history.v1.HistoryEvent::getEventId).max().orElseThrow();
        return events.stream()
                .filter(e -> e.getEventId() > lastTrial
                        && e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
                .mapToLong(io.temporal.api.history.v1.HistoryEvent::getEventId).min().orElseThrow();
    }

    /**
     * The README's procedure without the API: find the WorkflowTaskCompleted event right after the last
     * TrainTrial completed (what a person picks in the web UI's reset dialog) and reset there with the
     * Temporal CLI.
     */
    @Test
    @Order(6)
    void aRunThatFailsLateIsResetWithTheTemporalCli() throws Exception {
        LateFailure late = failedLateThenFixed("bc-cli");
        long resetPoint = late.resetPointAfterTrials();

        Process cli = new ProcessBuilder(stack.realServers().binaries().temporal().toString(), "workflow", "reset",
                "--address", stack.temporalTarget(), "--namespace", "default", "--workflow-id", late.workflowId(),
                "--event-id", Long.toString(resetPoint), "--reason", "test rows restored")
                .redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(cli.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "temporal workflow reset did not finish");
        assertEquals(0, cli.exitValue(), out);
        System.out.println("temporal workflow reset --event-id " + resetPoint + ": " + out.strip());

        late.assertCompletesWithoutTrainingAgain("the CLI reset");
    }

    /**
     * The same fix through the Temporal web UI, driven as a person would: open the failed run, Reset, choose the
     * event after the last trial in the dialog, give a reason, Confirm.
     */
    @Test
    @Order(7)
    void aRunThatFailsLateIsResetInTheTemporalWebUi() throws Exception {
        LateFailure late = failedLateThenFixed("bc-ui");
        String workflowId = late.workflowId();
        long resetPoint = late.resetPointAfterTrials();
        String execution = currentExecution(workflowId);
        String page = stack.realServers().temporalUi() + "/namespaces/default/workflows/"
                + java.net.URLEncoder.encode(workflowId, java.nio.charset.StandardCharsets.UTF_8) + "/" + execution + "/history";
        String modal = "document.querySelector('[data-testid=\"reset-confirmation-modal\"]')";
        try (Chromium chromium = Chromium.start(home.resolve("chromium-cdp"))) {
            chromium.navigate(page);
            chromium.await("the Reset button", "(() => { const b = [...document.querySelectorAll('button')]"
                    + ".find(b => b.textContent.trim() === 'Reset' && b.offsetParent !== null); if (b) { b.click(); return true; } })()",
                    Duration.ofSeconds(60));
            chromium.await("the reset dialog's event list", "(() => { const s = " + modal
                    + ".querySelector('[data-testid=\"workflow-reset-event-id-select-button\"]');"
                    + " if (s.getAttribute('aria-expanded') !== 'true') { s.click(); }"
                    + " return document.querySelectorAll('#reset-event-id-select li[role=option]').length > 0; })()", Duration.ofSeconds(20));
            String option = resetPoint + " - WorkflowTaskCompleted";
            assertEquals(true, chromium.await("event " + option, "(() => { const o = [...document.querySelectorAll("
                    + "'#reset-event-id-select li[role=option]')].find(li => li.textContent.trim() === " + Chromium.quote(option)
                    + "); if (o) { o.click(); return true; } })()", Duration.ofSeconds(20)).asBoolean());
            chromium.eval("(() => { const i = document.querySelector('#reset-reason'); i.focus(); i.value = 'test rows restored';"
                    + " i.dispatchEvent(new Event('input', {bubbles: true})); })()");
            chromium.await("an enabled Confirm", "!" + modal + ".querySelector('[data-testid=\"confirm-modal-button\"]').disabled",
                    Duration.ofSeconds(10));
            // The failed run's page as it was when Reset was confirmed (headless capture leaves out the dialog layer).
            Path shot = Path.of("target", "ui", "failed-run-before-reset.png");
            chromium.screenshot(shot);
            chromium.eval(modal + ".querySelector('[data-testid=\"confirm-modal-button\"]').click()");
            // The click only sends the request: wait for the reset execution before reading the run, which
            // until then is still the failed one (and keep the page open until the request has gone out).
            assertTrue(poll(() -> !execution.equals(currentExecution(workflowId))), "the Reset dialog started a new execution");
            System.out.println("Temporal web UI: reset " + workflowId + " to event " + resetPoint + " with the Reset dialog; screenshot "
                    + shot.toAbsolutePath());
        }
        late.assertCompletesWithoutTrainingAgain("the web-UI reset");
    }

    @Test
    @Order(8)
    void aRunIsFoundByItsPipelineAndInspectedInTheTemporalWebUi() throws Exception {
        String ui = stack.realServers().temporalUi();
        String query = java.net.URLEncoder.encode("TrainlayerPipeline=\"breast-cancer\"", java.nio.charset.StandardCharsets.UTF_8);
        try (Chromium chromium = Chromium.start(home.resolve("chromium-inspect"))) {
            chromium.navigate(ui + "/namespaces/default/workflows?query=" + query);
            String links = "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"
                    + ".filter(h => h && h.startsWith('/namespaces/default/workflows/retrain') && h.endsWith('/history'))";
            String link = chromium.await("a run of the pipeline, listed by its search attribute",
                    links + ".find(h => h.startsWith('/namespaces/default/workflows/retrain%2Fdefault%2Fbreast-cancer%2F'))", Duration.ofSeconds(60))
                    .asText();
            String all = chromium.eval(links + ".join(' ')").asText();
            assertTrue(!all.contains("retrain%2Fdefault%2Fbc-reset%2F") && !all.contains("retrain%2Fdefault%2Fbc-cli%2F") && !all.contains("retrain%2Fdefault%2Fbc-ui%2F"),
                    "and only the pipeline's runs: " + all);

            chromium.navigate(ui + link);
            chromium.await("the run's workflow type", "document.body.innerText.includes('RetrainWorkflow')", Duration.ofSeconds(60));
            chromium.await("the trial activities in the history", "document.body.innerText.includes('TrainTrial')", Duration.ofSeconds(60));
            Path shot = Path.of("target", "ui", "run-history.png");
            Files.deleteIfExists(shot);
            chromium.screenshot(shot);
            assertTrue(Files.size(shot) > 10_000, "screenshot saved at " + shot.toAbsolutePath());
            System.out.println("Temporal web UI: run " + java.net.URLDecoder.decode(link, java.nio.charset.StandardCharsets.UTF_8)
                    + " opened; screenshot " + shot.toAbsolutePath());
        }
    }
    /**
     * The calls the embedded stack answers 501 (schedules, reset) fuzzed where they work: malformed names, bodies and
     * content types never get a 5xx from the real servers either.
     */
    @Test
    @Order(9)
    void malformedScheduleAndResetCallsAreNever5xxOnTheRealServers() throws Exception {
        List<String> names = List.of("breast-cancer", "nope", "%2e%2e", "a".repeat(200), "%00", "UPPER", "x;y");
        List<String> bodies = List.of("", "{", "null", "[]", "{\"spec\": 5}", "{\"spec\": {}, \"cron\": \"61 25 * * *\"}",
                "{\"spec\": \"name: [\", \"interval\": \"1h\"}", "{\"interval\": \"-1h\", \"spec\": {\"name\": \"x\"}}",
                "{\"overlap\": \"sometimes\"}", "{\"to\": \"99999999999\"}", "{\"to\": \"start\", \"reason\": 5}", "{\"note\": [1]}");
        List<String> types = List.of("application/json", "text/plain", "application/json; charset=ebcdic");
        String runId = api.get("/api/v1/runs?limit=1").body().path("runs").get(0).path("runId").asText();
        int calls = 0;
        List<String> serverErrors = new ArrayList<>();
        for (String name : names) {
            for (String body : bodies) {
                String type = types.get(Math.floorMod((name + body).hashCode(), types.size()));
                for (String[] call : List.of(new String[] {"PUT", "/api/v1/pipelines/" + name + "/schedule"},
                        new String[] {"POST", "/api/v1/pipelines/" + name + "/schedule/pause"},
                        new String[] {"POST", "/api/v1/pipelines/" + name + "/schedule/trigger"},
                        new String[] {"DELETE", "/api/v1/pipelines/" + name + "/schedule"},
                        new String[] {"POST", "/api/v1/runs/" + (name.equals("breast-cancer") ? runId : name) + "/reset"})) {
                    if (call[1].contains(runId) && (body.isEmpty() || body.equals("null"))) {
                        continue;   // a well-formed reset of a finished run: it would really reset it
                    }
                    ApiClient.Response r = api.send(call[0], call[1], type, java.net.http.HttpRequest.BodyPublishers.ofString(body));
                    calls++;
                    if (r.status() >= 500) {
                        serverErrors.add(call[0] + " " + call[1] + " " + body + " -> " + r.status() + " " + r.body());
                    }
                }
            }
        }
        System.out.println("real-server fuzz of schedules and reset: " + calls + " requests, " + serverErrors.size() + " 5xx");
        assertTrue(serverErrors.isEmpty(), String.join("\n", serverErrors));
    }

    /** `./trainlayer dev`'s servers listen on loopback only: Temporal's frontend, HTTP API and web UI, MinIO. */
    @Test
    @Order(10)
    void theRealServersListenOnLoopbackOnly() throws Exception {
        List<LoopbackListenersTest.Listener> all = new ArrayList<>();
        for (long pid : stack.realServers().pids()) {
            all.addAll(LoopbackListenersTest.listeners(Long.toString(pid)));
        }
        System.out.println("real servers listen on " + all);
        assertTrue(all.size() >= 3, "Temporal (frontend, UI) and MinIO listen: " + all);
        assertTrue(all.stream().allMatch(LoopbackListenersTest.Listener::loopback), "all on loopback: " + all);
        assertTrue(LoopbackListenersTest.listeners().stream().allMatch(LoopbackListenersTest.Listener::loopback),
                "and so do the API and everything else in this process");
    }
}
