package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlayer.store.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/admin/gc} on a store with several runs of one model: a champion, a version that was never
 * champion (rejected at approval, on data of its own), a run its gates rejected, and a newer champion, under
 * {@code retention: {keepVersions: 1}}. The dry run deletes nothing and says what the real run then frees, byte for byte;
 * every kept version is still reproduced bit for bit afterwards, and the one not kept says why it cannot be.
 */
class RetentionTest {
    @TempDir
    static Path home;
    static DevStack stack;
    static ApiClient api;
    static ObjectStore store;
    static String full;
    static String part;

    @BeforeAll
    static void start() throws Exception {
        // Every epoch checkpointed (the embedded worker trains in this JVM): a short trial leaves checkpoints to collect.
        System.setProperty("trainlayer.checkpoint.interval", "0s");
        stack = DevStack.start(DevStack.Options.ephemeral(home, 2));
        api = stack.apiClient();
        store = stack.objectStore();
        full = DemoData.uploadBreastCancer(api);
        List<String> lines = Files.readAllLines(DemoData.BREAST_CANCER);
        Path head = home.resolve("bc-head.csv");
        Files.write(head, lines.subList(0, 451));
        ApiClient.Response upload = api.uploadDataset("bc-head", head);
        assertEquals(201, upload.status(), upload.body()::toString);
        part = upload.body().path("uri").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("trainlayer.checkpoint.interval");
        stack.close();
    }

    static String spec(String uri, String gates, String extra) {
        return """
                name: gc
                task: classification
                target: diagnosis
                data: {uri: "%s"}
                seed: 3
                retention: {keepVersions: 1}
                search: {trials: 3, parallelism: 2}
                models:
                  - {type: mlp, params: {maxEpochs: 30, patience: 5, hiddenLayers: [16]}}
                  - {type: xgboost, params: {numRounds: 40}}
                gates: %s
                %s
                """.formatted(uri, gates, extra);
    }

    static String start(String yaml) throws Exception {
        ApiClient.Response started = api.postSpec(yaml);
        assertEquals(202, started.status(), started.body()::toString);
        return started.body().path("runId").asText();
    }

    static JsonNode await(String runId, String status) throws Exception {
        JsonNode run = api.awaitRun(runId, Duration.ofMinutes(10), r -> { });
        assertEquals(status, run.path("status").asText(), run::toString);
        return run;
    }

    /** Bytes under the prefixes retention works on. */
    static long bytes() {
        return store.listDetailed("runs/").stream().mapToLong(ObjectStore.Listed::size).sum()
                + store.listDetailed("datasets/").stream().mapToLong(ObjectStore.Listed::size).sum();
    }

    static List<String> keys() {
        List<String> keys = new ArrayList<>(store.list("runs/"));
        keys.addAll(store.list("datasets/"));
        return keys;
    }

    /** The data's first row without its target, as a predict request's row. */
    static String firstRow() throws Exception {
        List<String> lines = Files.readAllLines(DemoData.BREAST_CANCER);
        String[] names = lines.get(0).split(",");
        String[] values = lines.get(1).split(",");
        StringBuilder row = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equals("diagnosis")) {
                row.append(row.length() > 1 ? ", " : "").append('"').append(names[i]).append("\": ").append(values[i]);
            }
        }
        return row.append('}').toString();
    }

    @Test
    void gcFreesWhatItReportsAndEveryKeptVersionStaysReproducible() throws Exception {
        String tolerant = "{maxDropVsChampion: 1.0}";
        JsonNode first = await(start(spec(full, tolerant, "")), "SUCCEEDED");
        assertEquals(1, first.path("modelVersion").asInt());

        String waiting = start(spec(part, tolerant, "promotion: {mode: approval}"));
        JsonNode run = api.get("/api/v1/runs/" + waiting).body();
        for (int i = 0; i < 3000 && !"AWAITING_APPROVAL".equals(run.path("phase").asText()); i++) {
            Thread.sleep(200);
            run = api.get("/api/v1/runs/" + waiting).body();
        }
        assertEquals("AWAITING_APPROVAL", run.path("phase").asText(), run::toString);
        assertEquals(202, api.postJson("/api/v1/runs/" + waiting + "/approve", "{\"approved\": false, \"comment\": \"gc test\"}").status());
        JsonNode neverChampion = await(waiting, "REJECTED");
        assertEquals(2, neverChampion.path("modelVersion").asInt());

        JsonNode gated = await(start(spec(full, "{min: {accuracy: 0.9999}}", "")), "REJECTED");
        JsonNode latest = await(start(spec(full, tolerant, "")), "SUCCEEDED");
        assertEquals(3, latest.path("modelVersion").asInt());

        long before = bytes();
        List<String> keysBefore = keys();
        ApiClient.Response dry = api.postJson("/api/v1/admin/gc", "{}");
        assertEquals(200, dry.status(), dry.body()::toString);
        JsonNode plan = dry.body();
        assertTrue(plan.path("dryRun").asBoolean());
        assertEquals(keysBefore, keys(), "a dry run deletes nothing");
        JsonNode model = plan.path("models").get(0);
        assertEquals("gc", model.path("model").asText(), plan::toString);
        assertEquals(1, model.path("keepVersions").asInt());
        assertEquals("[1,3]", model.path("versions").toString(), "the newest, and every version that was ever champion");
        assertEquals("[2]", model.path("notKept").toString());
        for (String kind : List.of("checkpoints", "trialModels", "features", "datasets")) {
            assertTrue(plan.path("byKind").path(kind).path("bytes").asLong() > 0, kind + ": " + plan.path("byKind"));
        }
        long promised = plan.path("wouldFreeBytes").asLong();

        ApiClient.Response done = api.postJson("/api/v1/admin/gc?dryRun=false", "{}");
        assertEquals(200, done.status(), done.body()::toString);
        assertEquals(promised, done.body().path("freedBytes").asLong(), "the dry run said what the real one frees");
        assertEquals(plan.path("wouldDeleteObjects").asInt(), done.body().path("deletedObjects").asInt());
        assertEquals(before - promised, bytes(), "freed what it reported");
        assertEquals(0, api.postJson("/api/v1/admin/gc?dryRun=false", "{}").body().path("freedBytes").asLong(), "nothing left to free");

        // Every kept version is still rebuilt bit for bit; the one not kept says what is gone.
        for (int version : List.of(1, 3)) {
            ApiClient.Response started = api.postJson("/api/v1/models/gc/versions/" + version + "/reproduce", "{}");
            assertEquals(202, started.status(), started.body()::toString);
            JsonNode r = await(started.body().path("runId").asText(), "SUCCEEDED").path("reproduction");
            assertTrue(r.path("identical").asBoolean(), "v" + version + ": " + r);
        }
        ApiClient.Response gone = api.postJson("/api/v1/models/gc/versions/2/reproduce", "{}");
        assertEquals(409, gone.status(), gone.body()::toString);
        assertTrue(gone.body().toString().contains("dataset snapshot"), gone.body()::toString);

        // The records stay: runs, their curves, the version that is not kept (still listed and served).
        assertEquals("REJECTED", api.get("/api/v1/runs/" + gated.path("runId").asText()).body().path("status").asText());
        assertTrue(api.get("/api/v1/runs/" + first.path("runId").asText() + "/curves").body().path("curves").size() > 0);
        assertEquals(200, api.get("/api/v1/models/gc/versions/2/card").status());
        assertEquals(3, api.get("/api/v1/models/gc").body().path("versions").size());
        assertEquals(200, api.postJson("/api/v1/models/gc/predict?version=2",
                "{\"rows\": [" + firstRow() + "]}").status(), "a version not kept still serves");

        ApiClient.Response bad = api.postJson("/api/v1/admin/gc?dryRun=maybe", "{}");
        assertEquals(400, bad.status());
        assertTrue(bad.body().toString().contains("dryRun"), bad.body()::toString);
    }
}
