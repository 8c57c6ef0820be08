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
