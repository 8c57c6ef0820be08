package dev.trainlayer.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import java.net.Socket;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A bounded fuzz of every route over loopback: malformed path segments, bodies, content types, headers and
 * query strings, with and without a key, sent as raw HTTP/1.1 so that nothing is cleaned up on the way. No
 * answer may be a 5xx, except the 501s the embedded stack gives by design for schedules and resets (counted
 * apart). Fixed seed, fixed count: the same requests every run.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiFuzzTest implements TestPropertyProvider {
    static final String KEY = "fuzz-admin-secret-0123456789";

    TestServers servers;

    @Inject
    Router router;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        servers = new TestServers();
        return servers.properties("fuzz:fz:admin:" + KEY, Map.of("trainlayer.api.query-timeout", "50ms",
                "trainlayer.api.max-upload-size", "256KB"));
    }

    @AfterAll
    void stop() throws Exception {
        servers.close();
    }

    static final List<String> SEGMENTS = List.of("", "%00", "..%2F..%2Fmodels", "%2e%2e", "a".repeat(300), "%ZZ", "%E5%90%8D",
            "'%20OR%201=1", "$%7Bjndi:ldap://127.0.0.1/x%7D", "-1", "99999999999999999999", "0", "null", "%0d%0aX-Injected:%201",
            "x;y", "a%2Fb", "NaN", "1e309");

    static final List<String> BODIES = List.of("", "{", "}", "[]", "null", "\"text\"", "{\"a\":".repeat(200), "[".repeat(5000),
            "{\"approved\": \"yes\", \"actor\": 5}", "{\"toVersion\": -1}", "{\"toVersion\": 1e99}", "{\"to\": \"" + "9".repeat(40) + "\"}",
            "{\"spec\": 5, \"cron\": \"* * *\"}", "{\"spec\": {\"name\": \"x\"}, \"interval\": \"-1h\"}",
            "a: &a [*a, *a]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n",
            "name: x\ntask: classification\ntarget: y\ndata: {uri: \"s3://trainlayer/uploads/fz/x/y.csv\"}\nfeatures: {derived: [{name: d, expression: \""
                    + "(".repeat(3000) + "\"}]}\n",
            "name: x\ntask: classification\ntarget: y\ndata: {uri: \"s3://trainlayer/models/x/\"}\n",
            "name: " + "x".repeat(10_000) + "\n", "\u0000\u0001\u0002", "a,b\n1,2\n", "\uFEFF{}", "{\"seed\": 1e400}");

    static final List<String> CONTENT_TYPES = List.of("application/json", "application/yaml", "text/csv", "text/plain",
            "application/xml", "multipart/form-data; boundary=x", "application/json; charset=ebcdic", "*/*", "", "\u00ff/\u00ff");

    static final List<String> QUERIES = List.of("", "?limit=abc", "?limit=-1", "?limit=99999999999", "?status=%00",
            "?pipeline=..%2F..", "?ids=,,,,", "?ids=" + "a,".repeat(500), "?sort=%27", "?version=x", "?pipeline=" + "p".repeat(300));

    record Route(String method, String template) {}

    List<Route> routes() {
        List<Route> out = new ArrayList<>();
        router.uriRoutes().forEach(r -> out.add(new Route(r.getHttpMethodName(), r.getUriMatchTemplate().toPathString())));
        return out;
    }

    /** The status of one raw HTTP/1.1 exchange (connection closed after it). */
    int send(String method, String path, String contentType, String body, boolean withKey, String extraHeader) throws Exception {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        if (withKey) {
            head.append("Authorization: Bearer ").append(KEY).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (extraHeader != null) {
            head.append(extraHeader).append("\r\n");
        }
        head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
        byte[] request = new byte[head.length() + payload.length];
        System.arraycopy(head.toString().getBytes(StandardCharsets.ISO_8859_1), 0, request, 0, head.length());
        System.arraycopy(payload, 0, request, head.length(), payload.length);
        return exchange(request);
    }

    int sendRaw(String request) throws Exception {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes the bytes, reads the status line; -1 when the server closes without one (a request it cannot parse). */
    int exchange(byte[] request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] first = in.readNBytes(12);
            Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(new String(first, StandardCharsets.ISO_8859_1));
            if (!m.find()) {
                return -1;   // the server closed the connection on an unparseable request: not an error answer
            }
            in.readAllBytes();
            return Integer.parseInt(m.group(1));
        }
    }

    @Test
    void noRouteAnswersAnyMalformedRequestWithA5xx() throws Exception {
        Random random = new Random(20261203);
        Tally tally = new Tally();
        List<String> headers = java.util.Arrays.asList(null, "Idempotency-Key: " + "k".repeat(8000), "Authorization: Bearer",
                "X-Forwarded-For: \u00ff\u00fe", "Accept: application/xml", "Authorization: Bearer " + KEY + "x");
        for (Route route : routes()) {
            boolean noBody = "GET".equals(route.method()) || "HEAD".equals(route.method());
            List<String> paths = new ArrayList<>();
            for (String segment : SEGMENTS) {
                paths.add(route.template().replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(segment)));
            }
            for (String query : QUERIES) {
                paths.add(route.template().replaceAll("\\{[^}]+}", "x") + query);
            }
            for (String path : paths) {
                String body = noBody ? null : BODIES.get(random.nextInt(BODIES.size()));
                String type = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
                String header = headers.get(random.nextInt(headers.size()));
                for (boolean withKey : new boolean[] {true, false}) {
                    String at = route.method() + " " + (path.isEmpty() ? "/" : path);
                    tally.add(at, type, body, send(route.method(), path.isEmpty() ? "/" : path, type.isEmpty() ? null : type, body, withKey, header));
                }
            }
            for (String body : BODIES) {
                for (String type : CONTENT_TYPES) {
                    if (random.nextInt(4) == 0) {
                        String path = route.template().replaceAll("\\{[^}]+}", "fz");
                        tally.add(route.method() + " " + path, type, body,
                                send(route.method(), path, type.isEmpty() ? null : type, noBody ? null : body, true, null));
                    }
                }
            }
            // Broken framing: a negative length, two lengths, a chunked body with a garbage chunk.
            String path = route.template().replaceAll("\\{[^}]+}", "fz");
            String auth = "Authorization: Bearer " + KEY + "\r\n";
            for (String raw : List.of(
                    route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: -5\r\nConnection: close\r\n\r\n",
                    route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 2\r\nContent-Length: 9\r\n"
                            + "Content-Type: application/json\r\nConnection: close\r\n\r\n{}",
                    route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n"
                            + "Content-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")) {
                tally.add(route.method() + " " + path + " (framing)", "", raw, sendRaw(raw));
            }
        }
        System.out.println("api fuzz: " + tally.calls + " requests over " + routes().size() + " routes; status counts " + tally.codes
                + "; 5xx: " + tally.serverErrors.values().stream().mapToInt(Integer::intValue).sum()
                + " (plus " + tally.byDesign + " 501s: schedules and resets need a real Temporal server)");
        assertTrue(tally.serverErrors.isEmpty(), "5xx answers:\n" + String.join("\n", tally.serverErrors.keySet()));
    }

    /** Status counts, and every 5xx but the 501s by design, with what provoked it. */
    static final class Tally {
        final Map<Integer, Integer> codes = new TreeMap<>();
        final Map<String, Integer> serverErrors = new LinkedHashMap<>();
        int byDesign;
        int calls;

        void add(String request, String type, String body, int code) {
            calls++;
            codes.merge(code, 1, Integer::sum);
            if (code == 501) {
                byDesign++;
            } else if (code >= 500) {
                serverErrors.merge(request + " [" + type + "] " + abbreviate(body) + " -> " + code, 1, Integer::sum);
            }
        }
    }

    static String abbreviate(String body) {
        String b = body == null ? "" : body.replace("\n", "\\n");
        return b.length() > 60 ? b.substring(0, 57) + "..." : b;
    }
}
