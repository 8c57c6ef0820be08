package dev.trainlayer.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trainlayer.workflows.client.Telemetry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's {@code GET /metrics} (the worker has no HTTP API): Prometheus text from {@link Telemetry} on its own
 * port ({@code trainlayer.worker.metrics.port}, default 9464; -1 turns it off), on loopback unless
 * {@code trainlayer.worker.metrics.host} opens it (the deployment manifests set 0.0.0.0 for Prometheus). With
 * {@code trainlayer.metrics.token} set it asks for {@code Authorization: Bearer <token>}, as the API does. A port
 * that is taken is logged and skipped: metrics never keep a worker from training.
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    static MetricsEndpoint start(String host, int port, String token) {
        if (port < 0) {
            log.info("worker metrics endpoint off (trainlayer.worker.metrics.port < 0)");
            return new MetricsEndpoint(null);
        }
        byte[] expected = token == null || token.isBlank() ? null : ("Bearer " + token.strip()).getBytes(StandardCharsets.UTF_8);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "metrics-endpoint");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/metrics", exchange -> answer(exchange, expected));
            server.start();
            log.info("worker metrics at http://{}:{}/metrics{}", host, server.getAddress().getPort(),
                    expected == null ? "" : " (bearer token required)");
            return new MetricsEndpoint(server);
        } catch (IOException | RuntimeException e) {
            log.warn("worker metrics endpoint not started on {}:{} ({}); set trainlayer.worker.metrics.port to a free port, "
                    + "or -1 to turn it off", host, port, e.toString());
            return new MetricsEndpoint(null);
        }
    }

    private static void answer(HttpExchange exchange, byte[] expected) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (expected != null) {
                String given = exchange.getRequestHeaders().getFirst("Authorization");
                if (given == null || !MessageDigest.isEqual(expected, given.strip().getBytes(StandardCharsets.UTF_8))) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"trainlayer-worker\"");
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
            }
            byte[] body = Telemetry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", Telemetry.CONTENT_TYPE);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The port it listens on, or -1 when it does not. */
    int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
