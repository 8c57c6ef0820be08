package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.Keys;
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
 * {@code POST /api/v1/models/{model}/versions/{n}/reproduce} on the embedded stack: a version of each family, trained by a
 * search (two trials at a time, so the winner trained beside another), rebuilt from its provenance alone gives the same
 * model files (sha256) and the same test metrics, bit for bit, and registers nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReproduceTest {
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
        store = stack.objectStore();
        dataUri = DemoData.uploadBreastCancer(api);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static String spec(String name, String search, String model) {
        return """
                name: %s
                task: classification
                target: diagnosis
                data: {uri: "%s"}
                seed: 11
                search: %s
                models:
                  - %s
                """.formatted(name, dataUri, search, model);
    }

    static JsonNode run(String yaml) throws Exception {
        ApiClient.Response started = api.postSpec(yaml);
        assertEquals(202, started.status(), started.body()::toString);
        JsonNode run = api.awaitRun(started.body().path("runId").asText(), Duration.ofMinutes(10), r -> { });
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        return run;
    }

    static JsonNode reproduce(String model, int version) throws Exception {
        ApiClient.Response started = api.postJson("/api/v1/models/" + model + "/versions/" + version + "/reproduce", "{}");
        assertEquals(202, started.status(), started.body()::toString);
        assertEquals(version, started.body().path("ofVersion").asInt());
        JsonNode run = api.awaitRun(started.body().path("runId").asText(), Duration.ofMinutes(10), r -> { });
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        return run;
    }

    /** The reproduction is the version: same model files, same test metrics, nothing registered. */
    static void assertIdentical(String model, int n, JsonNode original) throws Exception {
        JsonNode version = api.get("/api/v1/models/" + model + "/versions/" + n).body();
        int versions = api.get("/api/v1/models/" + model).body().path("versions").size();
        JsonNode run = reproduce(model, n);
        JsonNode r = run.path("reproduction");
        assertEquals(n, r.path("ofVersion").asInt(), run::toString);
        List<String> differing = new ArrayList<>();
        r.path("differences").forEach(d -> differing.add(d.path("field").asText()));
        assertTrue(r.path("identical").asBoolean(), "differences: " + r.path("differences"));
        assertTrue(differing.stream().allMatch(f -> f.startsWith("environment.")), differing::toString);
        assertEquals(version.path("artifacts").path("sha256").asText(), r.path("modelSha256").asText());
        assertEquals(version.path("lineage").path("datasetSha256").asText(), run.path("datasetSha256").asText());
        assertEquals(original.path("metrics"), run.path("metrics"), "the test metrics, bit for bit");
        assertEquals(version.path("lineage").path("trialId").asText(), run.path("bestTrial").asText());
        assertTrue(run.path("modelVersion").isMissingNode(), "a reproduction registers nothing: " + run);
        assertEquals(versions, api.get("/api/v1/models/" + model).body().path("versions").size());
    }

    @Test
    @Order(1)
    void anXgboostSearchWinnerIsReproducedBitForBit() throws Exception {
        // The search's own winner (no refit), trained beside another trial under the search's pruning plan.
        JsonNode original = run(spec("repro-xgb", "{trials: 3, parallelism: 2, refit: false}",
                "{type: xgboost, params: {numRounds: 60}}"));
        String winner = api.get("/api/v1/models/repro-xgb/versions/1").body().path("lineage").path("trialId").asText();
        assertFalse(winner.endsWith("/refit"), winner);
        assertIdentical("repro-xgb", 1, original);
    }

    @Test
    @Order(2)
    void anMlpRefitIsReproducedBitForBit() throws Exception {
        // The chosen network refit on the training and validation rows: reproduced as a refit, with the winner's seed.
        JsonNode original = run(spec("repro-mlp", "{trials: 2, parallelism: 2}",
                "{type: mlp, params: {maxEpochs: 40, patience: 8, hiddenLayers: [16]}}"));
        String winner = api.get("/api/v1/models/repro-mlp/versions/1").body().path("lineage").path("trialId").asText();
        assertTrue(winner.endsWith("/refit"), winner);
        assertIdentical("repro-mlp", 1, original);
    }

    @Test
    @Order(3)
    void anIncrementalVersionIsReproducedFromItsBase() throws Exception {
        JsonNode original = run(spec("repro-xgb", "{trials: 3, parallelism: 2, refit: false}",
                "{type: xgboost, params: {numRounds: 60}}") + "incremental: {rounds: 20}\ngates: {maxDropVsChampion: 1.0}\n");
        assertEquals(2, original.path("modelVersion").asInt(), original::toString);
        assertEquals(1, original.path("warmStartedFrom").asInt(), original::toString);
        assertIdentical("repro-xgb", 2, original);
    }

    @Test
    @Order(4)
    void anOptimizedVersionIsServedOptimizedAndReproducesAsTrained() throws Exception {
        JsonNode original = run(spec("repro-opt", "{trials: 1, refit: false}",
                "{type: mlp, params: {maxEpochs: 40, patience: 8, hiddenLayers: [32, 16]}}")
                + "optimize: {prune: 0.5, quantize: int8, maxMetricDrop: 0.02}\n");
        JsonNode o = original.path("optimization");
        assertTrue(o.path("passed").asBoolean(), o::toString);
        JsonNode version = api.get("/api/v1/models/repro-opt/versions/1").body();
        assertEquals(o.path("optimizedBytes"), version.path("optimization").path("optimizedBytes"));
        assertTrue(version.path("optimization").path("artifacts").path("key").asText().endsWith("/versions/1/optimized/"), version::toString);
        // The card says so, as data and as Markdown.
        JsonNode card = api.send("GET", "/api/v1/models/repro-opt/versions/1/card", null, null, "Accept", "application/json").body();
        assertTrue(card.path("optimization").path("passed").asBoolean(), card::toString);
        assertTrue(api.get("/api/v1/models/repro-opt/versions/1/card").body().asText().contains("## Optimization"));
        // /predict answers with the optimized network: its probabilities are the served model's, not the trained one's.
        List<java.util.Map<String, Object>> rows = rows(3);
        ApiClient.Response predicted = api.postJson("/api/v1/models/repro-opt/predict",
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("rows", rows)));
        assertEquals(200, predicted.status(), predicted.body()::toString);
        dev.trainlayer.workflows.registry.ModelVersion v = dev.trainlayer.activities.Json.read(
                version.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), dev.trainlayer.workflows.registry.ModelVersion.class);
        try (dev.trainlayer.scoring.Scorer served = dev.trainlayer.scoring.Scorer.load(store, v);
             dev.trainlayer.scoring.Scorer trained = dev.trainlayer.scoring.Scorer.load(store, v.trained())) {
            double apiP = predicted.body().path("predictions").get(0).path("probabilities").path("malignant").asDouble();
            double servedP = served.predict(rows).get(0).probabilities().get("malignant");
            double trainedP = trained.predict(rows).get(0).probabilities().get("malignant");
            assertEquals(servedP, apiP, 1e-12);
            assertTrue(servedP != trainedP, "the optimized network predicts differently: " + servedP);
        }
        JsonNode diff = api.get("/api/v1/models/repro-opt/diff?from=1&to=champion").body();
        assertEquals("optimized", diff.path("optimization").path("from").path("served").asText(), diff::toString);
        assertEquals(o.path("optimizedBytes"), diff.path("optimization").path("to").path("optimizedBytes"));
        // Reproduction rebuilds the model as trained (what the version's sha256 names); optimizing is not part of it.
        assertIdentical("repro-opt", 1, original);
    }

    /** The first {@code n} rows of the demo data without their label, numbers as numbers. */
    static List<java.util.Map<String, Object>> rows(int n) throws Exception {
        dev.trainlayer.scoring.Table table;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(DemoData.BREAST_CANCER)) {
            table = dev.trainlayer.scoring.Table.read(in);
        }
        List<java.util.Map<String, Object>> rows = new ArrayList<>();
        for (String[] cells : table.rows().subList(0, n)) {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            for (int c = 0; c < cells.length; c++) {
                if (!table.header().get(c).equals("diagnosis")) {
                    row.put(table.header().get(c), Double.parseDouble(cells[c]));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    @Order(5)
    void whatCannotBeReproducedIsAnsweredNotStarted() throws Exception {
        assertEquals(404, api.postJson("/api/v1/models/repro-xgb/versions/9/reproduce", "{}").status());
        assertEquals(404, api.postJson("/api/v1/models/no-such-model/versions/1/reproduce", "{}").status());
        JsonNode version = api.get("/api/v1/models/repro-xgb/versions/1").body();
        store.delete(Keys.datasetData(version.path("lineage").path("pipeline").asText(),
                version.path("lineage").path("datasetSha256").asText()));
        ApiClient.Response gone = api.postJson("/api/v1/models/repro-xgb/versions/1/reproduce", "{}");
        assertEquals(409, gone.status(), gone.body()::toString);
        assertTrue(gone.body().toString().contains("dataset snapshot"), gone.body()::toString);
    }
}
