package dev.trainlayer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The codec endpoints as the Temporal web UI calls them: a CORS preflight from the configured origin (answered
 * without credentials), then encode → decode round trips for the caller's project, and refusals for others.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodecEndpointTest implements TestPropertyProvider {
    static final String UI = "http://127.0.0.1:8233";
    static final String TRAINER = "codec-trainer-secret-0123456789";
    static final String OTHER = "codec-other-secret-0123456789";

    TestServers servers;
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        servers = new TestServers();
        return servers.properties("t:p1:trainer:" + TRAINER + ",o:p2:viewer:" + OTHER, Map.of(
                "trainlayer.payload-keys", "k1:" + Base64.getEncoder().encodeToString(new byte[32]),
                "trainlayer.api.codec.cors-origin", UI));
    }

    @AfterAll
    void stop() throws Exception {
        servers.close();
    }

    HttpResponse<String> send(String method, String path, String origin, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theWebUisPreflightIsAnsweredForItsOriginOnly() throws Exception {
        HttpResponse<String> ok = send("OPTIONS", "/codec/decode", UI, null, null, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type,x-namespace");
        assertEquals(204, ok.statusCode());
        assertEquals(UI, ok.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(ok.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        HttpResponse<String> elsewhere = send("OPTIONS", "/codec/decode", "http://evil.example.test", null, null,
                "Access-Control-Request-Method", "POST");
        assertNull(elsewhere.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals(401, send("POST", "/codec/decode", UI, null, "{\"payloads\": []}").statusCode(), "the real call needs a key");
    }

    @Test
    void encodeThenDecodeForTheCallersProjectOnly() throws Exception {
        String plain = "{\"payloads\":[{\"metadata\":{\"encoding\":\"" + Base64.getEncoder().encodeToString("json/plain".getBytes())
                + "\"},\"data\":\"" + Base64.getEncoder().encodeToString("{\"target\":\"churned\"}".getBytes()) + "\"}]}";
        HttpResponse<String> sealed = send("POST", "/codec/encode", UI, TRAINER, plain);
        assertEquals(200, sealed.statusCode(), sealed.body());
        assertEquals(UI, sealed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(sealed.body().contains(Base64.getEncoder().encodeToString("binary/encrypted".getBytes())), sealed.body());
        HttpResponse<String> opened = send("POST", "/codec/decode", UI, TRAINER, sealed.body());
        assertEquals(200, opened.statusCode());
        assertTrue(opened.body().contains(Base64.getEncoder().encodeToString("{\"target\":\"churned\"}".getBytes())), opened.body());
        HttpResponse<String> theirs = send("POST", "/codec/decode", UI, OTHER, sealed.body());
        assertEquals(sealed.body(), theirs.body(), "another project's viewer gets the ciphertext back unchanged");
        assertEquals(403, send("POST", "/codec/encode", UI, OTHER, plain).statusCode(), "encoding needs a trainer");
        assertEquals(400, send("POST", "/codec/decode", UI, TRAINER, "{\"payloads\": 5}").statusCode());
    }
}
