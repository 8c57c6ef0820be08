package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import dev.trainlayer.workflows.client.TemporalConnection;
import dev.trainlayer.workflows.codec.EncryptionCodec;
import dev.trainlayer.workflows.codec.PayloadKeys;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TRAINLAYER_PAYLOAD_KEYS on the dev stack: a full retrain succeeds, its Temporal history fetched raw (no codec)
 * holds none of the spec's distinctive strings, and the API's codec endpoint gives them back to a key of the run's
 * project — not to another project's. A key put in front still decodes the run; a different key under the same id
 * fails with a clear error.
 */
class EncryptedPayloadsTest {
    static final String K1 = "k1:" + Base64.getEncoder().encodeToString("32-bytes-of-key-material-for-k1!".getBytes(StandardCharsets.US_ASCII));
    static final String K2 = "k2:" + Base64.getEncoder().encodeToString("32-bytes-of-key-material-for-k2!".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path home;

    @Test
    void payloadsAreCiphertextInTemporalAndTheCodecEndpointOpensThemForTheProject() throws Exception {
        String admin = DevStack.ApiAccess.newSecret();
        String outsider = DevStack.ApiAccess.newSecret();
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(home, 2)
                .withAccess(new DevStack.ApiAccess("ops:default:admin:" + admin + ",other:team-z:viewer:" + outsider, admin))
                .withProperties(Map.of(TemporalConnection.PAYLOAD_KEYS, K1)))) {
            ApiClient api = stack.apiClient();
            ApiClient.Response upload = api.uploadDataset("breast-cancer", Path.of("..", "examples", "data", "breast_cancer.csv"));
            String uri = upload.body().path("uri").asText();
            String spec = Files.readString(Path.of("..", "examples", "breast-cancer.yaml")).replace("${DATA_URI}", uri);
            ApiClient.Response started = api.postSpec(spec);
            assertEquals(202, started.status(), started.body()::toString);
            JsonNode run = api.awaitRun(started.body().path("runId").asText(), Duration.ofMinutes(5), r -> { });
            assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
            assertEquals(1, api.get("/api/v1/models/breast-cancer").body().path("champion").path("version").asInt(),
                    "the registry works through encrypted signals and queries");

            // Raw: a client without the codec, as anyone reading Temporal's database or UI without the codec would.
            WorkflowClient raw = TemporalConnection.client(stack.temporalStubs(), "default");
            WorkflowExecutionHistory history = raw.fetchHistory(run.path("workflowId").asText());
            String readable = decoded(history.toJson(true)) + decoded(raw.fetchHistory("registry/default/breast-cancer").toJson(true));
            for (String distinctive : List.of("diagnosis", uri, "uploads/default/breast-cancer", "radius_mean")) {
                assertFalse(readable.contains(distinctive), distinctive + " is readable in the raw history");
            }

            Payloads input = history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getInput();
            String body = JsonFormat.printer().print(input);
            ApiClient.Response opened = api.postJson("/codec/decode", body);
            assertEquals(200, opened.status(), opened.body()::toString);
            Payloads decodedPayloads = parse(opened.body().toString());
            assertTrue(decodedPayloads.getPayloads(0).getData().toStringUtf8().contains("diagnosis"), "the codec endpoint opens the spec");
            ApiClient.Response theirs = api.as(outsider).postJson("/codec/decode", body);
            assertEquals(200, theirs.status());
            assertTrue(EncryptionCodec.isEncrypted(parse(theirs.body().toString()).getPayloads(0)), "another project gets ciphertext back");
            assertEquals(401, api.as(null).postJson("/codec/decode", body).status());

            Payload sealed = input.getPayloads(0);
            EncryptionCodec rotated = new EncryptionCodec(PayloadKeys.parse(K2 + "," + K1).orElseThrow());
            assertTrue(rotated.decode(List.of(sealed)).get(0).getData().toStringUtf8().contains("diagnosis"), "a new key in front reads old runs");
            EncryptionCodec wrong = new EncryptionCodec(PayloadKeys.parse("k1:" + K2.substring(3)).orElseThrow());
            PayloadCodecException e = assertThrows(PayloadCodecException.class, () -> wrong.decode(List.of(sealed)));
            assertTrue(e.getMessage().contains("fails authentication"), e.getMessage());
        }
    }

    static Payloads parse(String json) throws Exception {
        Payloads.Builder b = Payloads.newBuilder();
        JsonFormat.parser().merge(json, b);
        return b.build();
    }

    /** Every payload's data in a history JSON, base64-decoded: what a reader of the raw history sees. */
    static String decoded(String historyJson) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"data\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"").matcher(historyJson);
        while (m.find()) {
            out.append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.ISO_8859_1)).append('\n');
        }
        return out.toString();
    }
}
