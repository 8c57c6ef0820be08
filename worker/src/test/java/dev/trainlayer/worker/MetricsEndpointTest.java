package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The worker's own {@code GET /metrics}: Prometheus text, the scrape token when one is set, and a taken port skipped. */
class MetricsEndpointTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(int port, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextAndAsksForTheTokenWhenOneIsSet() throws Exception {
        try (MetricsEndpoint open = MetricsEndpoint.start("127.0.0.1", 0, "")) {
            HttpResponse<String> r = get(open.port(), null);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(r.body().contains("# TYPE jvm_memory_used_bytes gauge"), r.body());
        }
        try (MetricsEndpoint guarded = MetricsEndpoint.start("127.0.0.1", 0, "a-scrape-token-0123456789")) {
            assertEquals(401, get(guarded.port(), null).statusCode());
            assertEquals(401, get(guarded.port(), "wrong-token-0123456789").statusCode());
            assertEquals(200, get(guarded.port(), "a-scrape-token-0123456789").statusCode());
        }
    }

    @Test
    void aTakenPortOrMinusOneLeavesTheWorkerWithoutMetricsButRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", taken.getLocalPort(), "")) {
            assertEquals(-1, endpoint.port());
        }
        try (MetricsEndpoint off = MetricsEndpoint.start("127.0.0.1", -1, "")) {
            assertEquals(-1, off.port());
        }
    }
}
