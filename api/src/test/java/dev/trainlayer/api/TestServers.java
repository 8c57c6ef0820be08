package dev.trainlayer.api;

import dev.trainlayer.store.EmbeddedS3Server;
import io.temporal.testserver.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an API test runs against: the Temporal Java test server as a real gRPC server and a real S3 endpoint,
 * with the API's properties pointing at them (a free port, the given keys). No worker: runs start, none executes.
 */
public final class TestServers implements AutoCloseable {
    public final TestServer.PortBoundTestServer temporal;
    public final EmbeddedS3Server s3;
    private final int temporalPort;

    public TestServers() {
        try {
            try (ServerSocket socket = new ServerSocket(0)) {
                temporalPort = socket.getLocalPort();
            }
            temporal = TestServer.createPortBoundServer(temporalPort, true);
            s3 = EmbeddedS3Server.start(Files.createTempDirectory("api-test-s3"), 0, "k", "secret-key-123");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, String> properties(String apiKeys, Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("trainlayer.api.keys", apiKeys);
        p.put("micronaut.server.port", "-1");   // a free port: test classes must not wait for each other's to close
        p.put("trainlayer.temporal.target", "127.0.0.1:" + temporalPort);
        p.put("trainlayer.temporal.visibility", "store");
        p.put("trainlayer.store.endpoint", s3.endpoint());
        p.put("trainlayer.store.access-key", "k");
        p.put("trainlayer.store.secret-key", "secret-key-123");
        // A fresh connection per request for the tests' HTTP client: with pooling, a request could go out on a
        // kept-alive connection the server was closing after an error answer and wait out the 10 s read timeout.
        p.put("micronaut.http.client.pool.enabled", "false");
        p.putAll(extra);
        return p;
    }

    @Override
    public void close() throws Exception {
        s3.close();
        temporal.close();
    }
}
