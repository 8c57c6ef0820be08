package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.Keys;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring through the API on the embedded stack with real training: the predictions of a registered version on the
 * run's own frozen test rows reproduce the test metric the run recorded (XGBoost and an MLP, champion and
 * {@code ?version=N}); a row the model cannot read fails alone, naming the column; every prediction is logged under
 * its id in the store.
 */
class PredictTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static DevStack stack;
    static ApiClient api;
    static ObjectStore store;
    static String dataUri;

    @BeforeAll
    static void start() throws Exception {
        stack = DevStack.start(DevStack.Options.ephemeral(home, 2));
        api = stack.apiClient();
        dataUri = DemoData.uploadBreastCancer(api);
        store = stack.objectStore();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static JsonNode train(String model, String seed) throws Exception {
        ApiClient.Response started = api.postSpec("""
                name: scored
                task: classification
                target: diagnosis
                data: {uri: "%s"}
                models:
                  - %s
                seed: %s
                """.formatted(dataUri, model, seed));
        assertEquals(202, started.status(), started.body()::toString);
        JsonNode run = api.awaitRun(started.body().path("runId").asText(), Duration.ofMinutes(10), r -> { });
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        return run;
    }

    static ApiClient.Response predictCsv(String query, String csv) throws Exception {
        return api.send("POST", "/api/v1/models/scored/predict" + query, "text/csv",
                HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8));
    }

    /** The accuracy of the API's predictions on the run's frozen test rows. */
    static double accuracyThroughTheApi(String runId, String query, int version) throws Exception {
        String csv = new String(store.getBytes(store.bucket(), Keys.features(runId) + "test.csv"), StandardCharsets.UTF_8);
        Table test = Table.read(new StringReader(csv));
        ApiClient.Response r = predictCsv(query, csv);
        assertEquals(200, r.status(), r.body()::toString);
        assertEquals(version, r.body().path("version").asInt(), r.body()::toString);
        JsonNode predictions = r.body().path("predictions");
        assertEquals(test.size(), predictions.size());
        int target = test.column("diagnosis");
        int hits = 0;
        for (int i = 0; i < test.size(); i++) {
            JsonNode p = predictions.get(i);
            assertTrue(p.has("predictionId") && !p.has("error"), p::toString);
            double sum = 0;
            for (JsonNode v : p.path("probabilities")) {
                sum += v.asDouble();
            }
            assertEquals(1.0, sum, 1e-5, "probabilities of both classes: " + p);
            hits += p.path("prediction").asText().equals(test.rows().get(i)[target].trim()) ? 1 : 0;
        }
        return (double) hits / test.size();
    }

    static JsonNode awaitJob(String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            JsonNode job = api.get("/api/v1/models/scored/score/" + jobId).body();
            if (!job.path("status").asText().equals("RUNNING") || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(250);
        }
    }

    @Test
    void predictionsOnTheRunsTestRowsReproduceItsTestMetricAndAreLogged() throws Exception {
        JsonNode xgb = train("{type: xgboost, params: {numRounds: 80, maxDepth: 3}}", "3");
        assertEquals(1, xgb.path("modelVersion").asInt(), xgb::toString);
        double recorded = xgb.path("metrics").path("accuracy").asDouble();
        double served = accuracyThroughTheApi(xgb.path("runId").asText(), "", 1);
        System.out.println("xgboost v1: recorded test accuracy " + recorded + ", through the predict route " + served);
        assertEquals(recorded, served, 1e-12, "the champion's predictions reproduce the run's test accuracy");

        JsonNode mlp = train("{type: mlp, params: {maxEpochs: 40, hiddenLayers: [16]}}", "4");
        int v2 = mlp.path("modelVersion").asInt();
        assertEquals(2, v2, mlp::toString);
        double mlpRecorded = mlp.path("metrics").path("accuracy").asDouble();
        double mlpServed = accuracyThroughTheApi(mlp.path("runId").asText(), "?version=2", 2);
        System.out.println("mlp v2: recorded test accuracy " + mlpRecorded + ", through the predict route " + mlpServed);
        assertEquals(mlpRecorded, mlpServed, 1e-12, "version 2's predictions reproduce its run's test accuracy");

        // JSON rows: a row with text in a numeric column fails alone and names it; a row of unknown columns fails too.
        String first = new String(store.getBytes(store.bucket(), Keys.features(xgb.path("runId").asText()) + "test.csv"),
                StandardCharsets.UTF_8);
        Table rows = Table.read(new StringReader(first));
        StringBuilder good = new StringBuilder("{");
        for (int c = 0; c < rows.header().size(); c++) {
            if (!rows.header().get(c).equals("diagnosis")) {
                good.append(good.length() > 1 ? "," : "").append(JSON.writeValueAsString(rows.header().get(c))).append(':')
                        .append(rows.rows().get(0)[c]);
            }
        }
        good.append('}');
        String bad = good.toString().replaceFirst("\"mean_radius\":[0-9.eE+-]+", "\"mean_radius\":\"twelve\"");
        ApiClient.Response mixed = api.postJson("/api/v1/models/scored/predict?version=1",
                "{\"rows\": [" + good + "," + bad + ", {\"colour\": \"red\"}, " + good.toString().replace("{", "{\"extra\": 1, ") + "]}");
        assertEquals(200, mixed.status(), mixed.body()::toString);
        JsonNode answers = mixed.body().path("predictions");
        assertEquals(4, answers.size(), mixed.body()::toString);
        assertTrue(answers.get(0).has("predictionId"), answers::toString);
        assertEquals(1, answers.get(1).path("row").asInt());
        assertTrue(answers.get(1).path("error").asText().contains("mean_radius"), answers::toString);
        assertTrue(answers.get(2).path("error").asText().contains("none of the model's columns"), answers::toString);
        assertEquals(answers.get(0).path("prediction"), answers.get(3).path("prediction"), "an extra column is ignored");

        // Every prediction that was made is in the log, once, under its id.
        Set<String> logged = new HashSet<>();
        for (String key : store.list(store.bucket(), "predictions/default/scored/")) {
            for (String line : new String(store.getBytes(store.bucket(), key), StandardCharsets.UTF_8).split("\n")) {
                JsonNode entry = JSON.readTree(line);
                assertTrue(logged.add(entry.path("predictionId").asText()), "logged once: " + line);
                assertTrue(entry.path("features").isObject() && entry.has("prediction") && entry.has("at") && entry.has("version"), line);
            }
        }
        assertTrue(logged.contains(answers.get(0).path("predictionId").asText()));
        assertTrue(logged.contains(answers.get(3).path("predictionId").asText()));
        assertEquals(2 * rows.size() + 2, logged.size(), "both test sets and the two good JSON rows");

        // Refusals: an unknown version, no rows, another project's key sees no model.
        assertEquals(404, predictCsv("?version=9", first).status());
        ApiClient.Response empty = api.postJson("/api/v1/models/scored/predict", "{\"rows\": []}");
        assertEquals(400, empty.status());
        assertFalse(empty.body().toString().isEmpty());
        assertEquals(400, api.postJson("/api/v1/models/scored/predict", "{\"data\": 1}").status());
        assertEquals(404, api.postJson("/api/v1/models/nothing-here/predict", "{\"rows\": [{\"a\": 1}]}").status());
        List<String> none = store.list(store.bucket(), "predictions/default/nothing-here/");
        assertTrue(none.isEmpty());

        // Promoting a version makes it the one the predict route uses, audited with the key's name and the reason.
        int champion = api.get("/api/v1/models/scored").body().path("champion").path("version").asInt();
        int other = champion == 1 ? 2 : 1;
        ApiClient.Response promoted = api.postJson("/api/v1/models/scored/promote", "{\"version\": " + other + ", \"reason\": \"canary won\"}");
        assertEquals(200, promoted.status(), promoted.body()::toString);
        assertEquals(other, promoted.body().path("champion").asInt(), promoted.body()::toString);
        JsonNode last = promoted.body().path("audit").get(promoted.body().path("audit").size() - 1);
        assertEquals("PROMOTE", last.path("action").asText(), last::toString);
        assertEquals("admin", last.path("actor").asText(), last::toString);
        assertEquals("canary won", last.path("reason").asText(), last::toString);
        assertEquals(other, predictCsv("", first).body().path("version").asInt());
        assertEquals(404, api.postJson("/api/v1/models/scored/promote", "{\"version\": 9}").status());
        assertEquals(400, api.postJson("/api/v1/models/scored/promote", "{}").status());

        // Batch scoring: the same test rows as an uploaded dataset, scored in a workflow, give the predict route's answers.
        Path file = home.resolve("batch.csv");
        java.nio.file.Files.writeString(file, first);
        String batchUri = api.uploadDataset("batch", file).body().path("uri").asText();
        ApiClient.Response job = api.postJson("/api/v1/models/scored/score", "{\"uri\": \"" + batchUri + "\", \"version\": 1}");
        assertEquals(202, job.status(), job.body()::toString);
        String jobId = job.body().path("jobId").asText();
        JsonNode done = awaitJob(jobId);
        assertEquals("SUCCEEDED", done.path("status").asText(), done::toString);
        assertEquals(rows.size(), done.path("rows").asInt());
        assertEquals(rows.size(), done.path("scored").asInt());
        Table output = Table.read(new StringReader(new String(store.getBytes(store.bucket(),
                done.path("output").asText().replace("s3://" + store.bucket() + "/", "")), StandardCharsets.UTF_8)));
        assertEquals(rows.size(), output.size());
        JsonNode online = predictCsv("?version=1", first).body().path("predictions");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(jobId + "." + i, output.rows().get(i)[output.column("predictionId")]);
            assertEquals(online.get(i).path("prediction").asText(), output.rows().get(i)[output.column("prediction")], "row " + i);
            assertEquals(online.get(i).path("probabilities").path("malignant").asDouble(),
                    Double.parseDouble(output.rows().get(i)[output.column("p_malignant")]), 1e-12, "row " + i);
        }
        System.out.println("batch scoring " + jobId + ": " + done);
        // A missing object fails the job with a stable type; another project's data is refused before it starts.
        JsonNode missing = awaitJob(api.postJson("/api/v1/models/scored/score",
                "{\"uri\": \"" + batchUri.replaceAll("[0-9a-f]{64}", "0".repeat(64)) + "\"}").body().path("jobId").asText());
        assertEquals("FAILED", missing.path("status").asText(), missing::toString);
        assertEquals("DATASET_NOT_FOUND", missing.path("failure").path("type").asText(), missing::toString);
        ApiClient.Response foreign = api.postJson("/api/v1/models/scored/score", "{\"uri\": \"s3://trainlayer/uploads/other/x.csv\"}");
        assertEquals(400, foreign.status(), foreign.body()::toString);
        assertTrue(foreign.body().toString().contains("uri"), foreign.body()::toString);
        assertEquals(404, api.get("/api/v1/models/scored/score/20260101T000000Z-00000000").status());
    }
}
