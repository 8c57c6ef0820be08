package dev.trainlayer.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** A small client of the trainlayer HTTP API, as a user's script would call it (demo and end-to-end tests). */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    /** @param token the API key sent as {@code Authorization: Bearer}; null sends none */
    public ApiClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same API as another key. */
    public ApiClient as(String otherToken) {
        return new ApiClient(base, otherToken);
    }

    public record Response(int status, JsonNode body) {}

    public Response send(String method, String path, String contentType, HttpRequest.BodyPublisher body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode node = response.body() == null || response.body().isBlank() ? JSON.nullNode() : parse(response.body());
        return new Response(response.statusCode(), node);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    public Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    public Response postJson(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, "application/json", HttpRequest.BodyPublishers.ofString(json));
    }

    public Response postSpec(String yaml, String... headers) throws IOException, InterruptedException {
        return send("POST", "/api/v1/runs", "application/yaml", HttpRequest.BodyPublishers.ofString(yaml), headers);
    }

    public Response uploadDataset(String name, Path csv) throws IOException, InterruptedException {
        return send("PUT", "/api/v1/datasets/" + name, "text/csv", HttpRequest.BodyPublishers.ofFile(csv));
    }

    /** Polls a run until it leaves RUNNING; {@code onChange} sees each new phase/trial snapshot. */
    public JsonNode awaitRun(String runId, Duration timeout, Consumer<JsonNode> onChange) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            Response r = get("/api/v1/runs/" + runId);
            if (r.status() != 200) {
                throw new IllegalStateException("GET run " + runId + " answered " + r.status() + ": " + r.body());
            }
            String fingerprint = r.body().path("status").asText() + r.body().path("phase").asText() + r.body().path("trials");
            if (!fingerprint.equals(last)) {
                last = fingerprint;
                onChange.accept(r.body());
            }
            if (!"RUNNING".equals(r.body().path("status").asText())) {
                return r.body();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " still running after " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /** One Server-Sent Event: its id (the cursor to resume from), name (the event type) and JSON data. */
    public record Sse(String id, String name, JsonNode data) {}

    /**
     * A run's event stream ({@code GET /api/v1/runs/{runId}/events}), read event by event. {@link #next} returns
     * null when the server ends the stream; closing it disconnects.
     */
    public final class EventStream implements AutoCloseable {
        private final java.io.InputStream body;
        private final java.io.BufferedReader lines;

        EventStream(java.io.InputStream body) {
            this.body = body;
            this.lines = new java.io.BufferedReader(new java.io.InputStreamReader(body, java.nio.charset.StandardCharsets.UTF_8));
        }

        public Sse next() throws IOException {
            String id = null;
            String name = "message";
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        return new Sse(id, name, parse(data.toString()));
                    }
                    id = null;   // a comment-only block (keepalive)
                    name = "message";
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).startsWith(" ") ? line.substring(colon + 2) : line.substring(colon + 1);
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { }
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Opens a run's event stream, resuming after {@code lastEventId} when not null. */
    public EventStream events(String runId, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + runId + "/events"))
                .header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String text = new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            throw new IllegalStateException("GET events of run " + runId + " answered " + response.statusCode() + ": " + text);
        }
        return new EventStream(response.body());
    }
}
