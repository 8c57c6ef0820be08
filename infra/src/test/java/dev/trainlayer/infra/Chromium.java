package dev.trainlayer.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium (Debian's {@code chromium}, installed by setup.sh) driven over the DevTools protocol, so a
 * test can use a web page as a person would: open it, wait for what it renders, click, type, take screenshots.
 * Only what the web-UI tests need: one page, {@code Runtime.evaluate}, {@code Page.navigate},
 * {@code Page.captureScreenshot}.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    static Path binary() {
        return java.util.stream.Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("no chromium: run infra/scripts/setup.sh (it installs Debian's chromium)"));
    }

    static Chromium start(Path profile) throws Exception {
        int port = DevStack.freePort();
        Process process = new ProcessBuilder(binary().toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--window-size=1400,1000", "--remote-debugging-port=" + port,
                "--user-data-dir=" + profile.toAbsolutePath(), "about:blank")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode target : JSON.readTree(body)) {
                    if ("page".equals(target.path("type").asText())) {
                        Chromium[] self = new Chromium[1];
                        WebSocket socket = http.newWebSocketBuilder().buildAsync(
                                URI.create(target.path("webSocketDebuggerUrl").asText()), new Listener(() -> self[0])).get(10, TimeUnit.SECONDS);
                        self[0] = new Chromium(process, socket);
                        return self[0];
                    }
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroyForcibly();
                throw new IllegalStateException("chromium's DevTools endpoint did not answer on port " + port);
            }
            Thread.sleep(200);
        }
    }

    /** Collects a message's fragments and completes the call it answers. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Supplier<Chromium> owner;
        private final StringBuilder text = new StringBuilder();

        Listener(java.util.function.Supplier<Chromium> owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    Chromium chromium = owner.get();
                    if (message.has("id") && chromium != null) {
                        CompletableFuture<JsonNode> call = chromium.pending.remove(message.get("id").asInt());
                        if (call != null) {
                            call.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // not a protocol message
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params == null ? JSON.createObjectNode() : params);
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode reply = answer.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** The value of a JavaScript expression in the page (promises awaited). */
    JsonNode eval(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page script failed: " + result.get("exceptionDetails").path("exception")
                    .path("description").asText(result.get("exceptionDetails").toString()));
        }
        return result.path("result").path("value");
    }

    /** Waits until the expression is truthy in the page; returns its value. */
    JsonNode await(String what, String expression, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode value;
            try {
                value = eval(expression);
            } catch (IllegalStateException e) {
                value = null; // the page is still loading what the expression reads
            }
            if (value != null && !value.isMissingNode() && !value.isNull() && !(value.isBoolean() && !value.asBoolean())
                    && !(value.isTextual() && value.asText().isEmpty())) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page never showed " + what + " within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    void screenshot(Path file) throws Exception {
        JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** The whole page, not only the window: what a person scrolling through it would see. */
    void screenshotFullPage(Path file, int maxHeight) throws Exception {
        JsonNode metrics = call("Page.getLayoutMetrics", null);
        JsonNode size = metrics.has("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize");
        ObjectNode clip = JSON.createObjectNode().put("x", 0).put("y", 0).put("width", size.path("width").asDouble())
                .put("height", Math.min(maxHeight, size.path("height").asDouble())).put("scale", 1);
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.set("clip", clip);
        JsonNode shot = call("Page.captureScreenshot", params);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** A JavaScript string literal of {@code s}. */
    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
