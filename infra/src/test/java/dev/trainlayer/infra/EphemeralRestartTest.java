package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory stack restarted on the same store: Temporal has forgotten everything, the store has not. Models are
 * served from the store's mirror (and their registry rebuilds itself, with a RECOVERED audit entry, on the next
 * command: rollback works at once); runs are listed and shown as LOST with their last known state, never an error.
 */
class EphemeralRestartTest {
    @TempDir
    Path home;

    @Test
    void modelsAndRunsSurviveARestartOfTheInMemoryServer() throws Exception {
        DevStack.ApiAccess access = DevStack.ApiAccess.generated();
        String first;
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(home, 2).withAccess(access))) {
            ApiClient api = stack.apiClient();
            String uri = api.uploadDataset("breast-cancer", Path.of("..", "examples", "data", "breast_cancer.csv")).body().path("uri").asText();
            String spec = Files.readString(Path.of("..", "examples", "breast-cancer.yaml")).replace("${DATA_URI}", uri)
                    .replace("maxDropVsChampion: 0.01", "maxDropVsChampion: 1.0");
            first = run(api, spec).path("runId").asText();
            JsonNode second = run(api, spec.replace("seed: 42", "seed: 43"));
            assertEquals(2, second.path("modelVersion").asInt(), second::toString);
        }
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(home, 2).withAccess(access))) {
            ApiClient api = stack.apiClient();
            ApiClient.Response model = api.get("/api/v1/models/breast-cancer");
            assertEquals(200, model.status(), model.body()::toString);
            assertEquals(2, model.body().path("versions").size(), model.body()::toString);
            assertEquals(2, model.body().path("champion").path("version").asInt(), model.body()::toString);

            ApiClient.Response rollback = api.postJson("/api/v1/models/breast-cancer/rollback", "{\"reason\": \"after a restart\"}");
            assertEquals(200, rollback.status(), rollback.body()::toString);
            JsonNode after = api.get("/api/v1/models/breast-cancer").body();
            assertEquals(1, after.path("champion").path("version").asInt(), after::toString);
            assertTrue(after.path("audit").toString().contains("RECOVERED"), after.path("audit")::toString);

            ApiClient.Response runs = api.get("/api/v1/runs?pipeline=breast-cancer");
            assertEquals(200, runs.status(), runs.body()::toString);
            assertEquals(2, runs.body().path("runs").size(), runs.body()::toString);
            for (JsonNode r : runs.body().path("runs")) {
                assertEquals("LOST", r.path("status").asText(), r::toString);
            }
            JsonNode lost = api.get("/api/v1/runs/" + first).body();
            assertEquals("LOST", lost.path("status").asText(), lost::toString);
            assertEquals("RUN_LOST", lost.path("failure").path("type").asText(), lost::toString);
            assertTrue(lost.path("metrics").has("roc_auc"), "its last known state: " + lost);
            assertEquals(2, api.get("/api/v1/runs?status=LOST").body().path("runs").size(), "LOST is a status filter");
        }
    }

    static JsonNode run(ApiClient api, String spec) throws Exception {
        ApiClient.Response started = api.postSpec(spec);
        assertEquals(202, started.status(), started.body()::toString);
        JsonNode run = api.awaitRun(started.body().path("runId").asText(), Duration.ofMinutes(5), r -> { });
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        return run;
    }
}
