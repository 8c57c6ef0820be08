package dev.trainlayer.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.api.TestServers;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every route × {no key, wrong key, each role, another project's admin}: the route table comes from the
 * router itself, so a route added without a role — or without a row in {@link #EXPECTED} — fails here.
 * Objects in paths belong to project {@code p1} (a run its trainer started); project {@code p2}'s admin must
 * get 404 for them, as if they did not exist.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthMatrixTest implements TestPropertyProvider {
    static final Map<String, String> SECRETS = new LinkedHashMap<>();

    static {
        for (Role role : Role.values()) {
            SECRETS.put(role.wire(), "p1-" + role.wire() + "-secret-0123456789");
        }
        SECRETS.put("other", "p2-admin-secret-0123456789");
    }

    /** The least role of every route: the reviewed decision the annotations must match. */
    static final Map<String, Role> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /api/v1/runs", Role.VIEWER),
            Map.entry("POST /api/v1/runs", Role.TRAINER),
            Map.entry("GET /api/v1/runs/compare", Role.VIEWER),
            Map.entry("GET /api/v1/runs/{runId}", Role.VIEWER),
            Map.entry("GET /api/v1/runs/{runId}/trials", Role.VIEWER),
            Map.entry("GET /api/v1/runs/{runId}/events", Role.VIEWER),
            Map.entry("POST /api/v1/runs/{runId}/approve", Role.APPROVER),
            Map.entry("POST /api/v1/runs/{runId}/reset", Role.TRAINER),
            Map.entry("POST /api/v1/runs/{runId}/cancel", Role.TRAINER),
            Map.entry("PUT /api/v1/datasets/{name}", Role.TRAINER),
            Map.entry("GET /api/v1/models/{model}", Role.VIEWER),
            Map.entry("GET /api/v1/models/{model}/versions/{version}", Role.VIEWER),
            Map.entry("GET /api/v1/models/{model}/diff", Role.VIEWER),
            Map.entry("POST /api/v1/models/{model}/rollback", Role.APPROVER),
            Map.entry("GET /api/v1/pipelines/{name}/trials", Role.VIEWER),
            Map.entry("GET /api/v1/pipelines/{name}/best", Role.VIEWER),
            Map.entry("PUT /api/v1/pipelines/{name}/schedule", Role.TRAINER),
            Map.entry("GET /api/v1/pipelines/{name}/schedule", Role.VIEWER),
            Map.entry("DELETE /api/v1/pipelines/{name}/schedule", Role.TRAINER),
            Map.entry("POST /api/v1/pipelines/{name}/schedule/pause", Role.TRAINER),
            Map.entry("POST /api/v1/pipelines/{name}/schedule/resume", Role.TRAINER),
            Map.entry("POST /api/v1/pipelines/{name}/schedule/trigger", Role.TRAINER),
            Map.entry("GET /metrics", Role.ADMIN),
            Map.entry("GET /api/v1/webhooks", Role.ADMIN),
            Map.entry("PUT /api/v1/webhooks/{name}", Role.ADMIN),
            Map.entry("GET /api/v1/webhooks/{name}", Role.ADMIN),
            Map.entry("DELETE /api/v1/webhooks/{name}", Role.ADMIN),
            Map.entry("GET /api/v1/webhooks/{name}/deliveries", Role.ADMIN),
            Map.entry("POST /codec/decode", Role.VIEWER),
            Map.entry("POST /codec/encode", Role.TRAINER),
            Map.entry("GET /api/v1/runs/{runId}/curves", Role.VIEWER),
            Map.entry("GET /api/v1/models/{model}/versions/{version}/card", Role.VIEWER),
            Map.entry("POST /api/v1/models/{model}/versions/{version}/reproduce", Role.TRAINER),
            Map.entry("POST /api/v1/admin/gc", Role.ADMIN),
            Map.entry("POST /api/v1/models/{model}/predict", Role.VIEWER),
            Map.entry("POST /api/v1/models/{model}/promote", Role.APPROVER),
            Map.entry("POST /api/v1/models/{model}/score", Role.TRAINER),
            Map.entry("GET /api/v1/models/{model}/score/{jobId}", Role.VIEWER),
            Map.entry("GET /api/v1/models/{model}/monitoring", Role.VIEWER),
            Map.entry("POST /api/v1/pipelines/{name}/feedback", Role.TRAINER),
            Map.entry("GET /api/v1/pipelines/{name}/feedback", Role.VIEWER),
            Map.entry("PUT /api/v1/pipelines/{name}/triggers", Role.TRAINER),
            Map.entry("GET /api/v1/pipelines/{name}/triggers", Role.VIEWER),
            Map.entry("DELETE /api/v1/pipelines/{name}/triggers", Role.TRAINER),
            Map.entry("POST /api/v1/pipelines/{name}/triggers/check", Role.TRAINER),
            Map.entry("GET /ui", Role.VIEWER),
            Map.entry("GET /ui/runs/{runId}", Role.VIEWER),
            Map.entry("GET /ui/models/{model}", Role.VIEWER),
            Map.entry("GET /ui/compare", Role.VIEWER),
            Map.entry("GET /ui/pipelines/{name}", Role.VIEWER),
            Map.entry("POST /ui/logout", Role.VIEWER)));

    /** Dashboard pages: a browser without a session or key is sent to the login page instead of a 401. */
    static final List<String> LOGIN_REDIRECT = List.of("GET /ui", "GET /ui/runs/{runId}", "GET /ui/models/{model}", "GET /ui/compare",
            "GET /ui/pipelines/{name}");

    /** Prometheus's credential: it opens {@code GET /metrics} and nothing else. */
    static final String SCRAPE_TOKEN = "scrape-token-for-prometheus-0123";

    /** Routes anyone may call. */
    static final List<String> PUBLIC = List.of("GET /health", "GET /ui/login", "POST /ui/login", "GET /ui/assets/{name}");

    static final String SPEC = """
            name: matrix
            task: classification
            target: y
            data: {uri: "s3://trainlayer/uploads/p1/matrix/x.csv"}
            """;

    TestServers servers;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    String runId;

    @Inject
    Router router;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        servers = new TestServers();
        List<String> keys = new ArrayList<>();
        for (Role role : Role.values()) {
            keys.add(role.wire() + "-key:p1:" + role.wire() + ":" + SECRETS.get(role.wire()));
        }
        keys.add("other-admin:p2:admin:" + SECRETS.get("other"));
        // No worker answers queries here: do not wait for one on every call.
        return servers.properties(String.join(",", keys), Map.of("trainlayer.api.query-timeout", "50ms",
                "trainlayer.metrics.token", SCRAPE_TOKEN));
    }

    @AfterAll
    void stop() throws Exception {
        servers.close();
    }

    @BeforeAll
    void startARunOfProjectOne() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/runs", SPEC, SECRETS.get("trainer"));
        assertEquals(202, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\"runId\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        assertTrue(m.find(), r.body());
        runId = m.group(1);
    }

    HttpResponse<String> send(String method, String path, String body, String secret, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            b.header("Authorization", "Bearer " + secret);
        }
        if (body != null) {
            b.header("Content-Type", path.startsWith("/api/v1/datasets") ? "text/csv"
                    : path.equals("/api/v1/runs") ? "application/yaml" : "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    record Route(String method, String template, AnnotationMetadata metadata) {
        String id() {
            return method + " " + template;
        }

        /** The matrix row: Micronaut answers HEAD for every GET route, with the GET route's role. */
        String row() {
            return ("HEAD".equals(method) ? "GET" : method) + " " + template;
        }
    }

    List<Route> routes() {
        List<Route> out = new ArrayList<>();
        router.uriRoutes().forEach((UriRouteInfo<?, ?> r) -> out.add(new Route(r.getHttpMethodName(),
                r.getUriMatchTemplate().toPathString(), r.getAnnotationMetadata())));
        return out;
    }

    String concrete(String template) {
        return template.replace("{runId}", runId).replace("{name}", "matrix").replace("{model}", "matrix")
                .replace("{version}", "1").replace("{jobId}", "20260101T000000Z-00000000") + (template.endsWith("/compare") ? "?ids=" + runId + "," + runId + "x" : "")
                + (template.endsWith("/events") ? "?follow=false" : "") + (template.endsWith("/diff") ? "?from=1&to=champion" : "");
    }

    String body(Route route) {
        return switch (route.method()) {
            case "POST" -> route.template().equals("/api/v1/runs") ? SPEC : "{}";
            case "PUT" -> route.template().startsWith("/api/v1/datasets") ? "a,y\n1,0\n" : "{\"spec\": " + "{}" + "}";
            default -> null;
        };
    }

    @Test
    void everyRouteDeclaresItsRoleAndMatchesTheReviewedTable() {
        List<String> seen = new ArrayList<>();
        for (Route route : routes()) {
            seen.add(route.row());
            if (PUBLIC.contains(route.row())) {
                assertTrue(route.metadata().hasAnnotation(Public.class), route.id() + " should be @Public");
                continue;
            }
            assertTrue(EXPECTED.containsKey(route.row()), "new route " + route.id() + ": add it to the auth matrix with its role");
            assertEquals(EXPECTED.get(route.row()), route.metadata().enumValue(Allowed.class, Role.class).orElse(null),
                    route.id() + " declares a different role than the matrix");
        }
        List<String> missing = new ArrayList<>(EXPECTED.keySet());
        missing.removeAll(seen);
        assertTrue(missing.isEmpty(), "routes in the matrix that no longer exist: " + missing);
    }

    @Test
    void everyRouteAnswersEachCallerAsItsRoleAllows() throws Exception {
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (Route route : routes()) {
            String path = concrete(route.template());
            if (PUBLIC.contains(route.row())) {
                int code = send(route.method(), path, body(route), null).statusCode();
                if (code == 401 || code == 403) {
                    wrong.add(route.id() + " without a key: " + code);
                }
                continue;
            }
            Role needed = EXPECTED.get(route.row());
            HttpResponse<String> anonymous = send(route.method(), path, body(route), null);
            if (LOGIN_REDIRECT.contains(route.row())) {
                expect(wrong, route, "no key", anonymous, 303);
                if (!anonymous.headers().firstValue("Location").orElse("").startsWith("/ui/login?next=")) {
                    wrong.add(route.id() + " without a key: not sent to the login page: " + anonymous.headers().map());
                }
                assertTrue(route.metadata().hasAnnotation(UiPage.class), route.id());
            } else {
                expect(wrong, route, "no key", anonymous, 401);
            }
            expect(wrong, route, "wrong key", send(route.method(), path, body(route), "not-a-key-of-anyone-000000"), 401);
            expect(wrong, route, "malformed header", send(route.method(), path, body(route), null, "Authorization", "Basic eDp5"), 401);
            for (Role role : Role.values()) {
                HttpResponse<String> r = send(route.method(), path, body(route), SECRETS.get(role.wire()));
                if (!role.includes(needed)) {
                    expect(wrong, route, role.wire(), r, 403);
                    if (!"HEAD".equals(route.method()) && !r.body().contains("needs the role " + needed.wire())) {
                        wrong.add(route.id() + " as " + role.wire() + ": 403 does not name the role needed: " + r.body());
                    }
                } else if (r.statusCode() == 401 || r.statusCode() == 403 || (r.statusCode() >= 500 && r.statusCode() != 501)) {
                    wrong.add(route.id() + " as " + role.wire() + ": " + r.statusCode() + " " + r.body());
                }
                checked++;
            }
            HttpResponse<String> other = send(route.method(), path, body(route), SECRETS.get("other"));
            if (route.template().contains("{runId}") || route.template().endsWith("/compare")) {
                expect(wrong, route, "another project's admin", other, 404);
            } else if (other.statusCode() == 401 || other.statusCode() == 403 || (other.statusCode() >= 500 && other.statusCode() != 501)) {
                wrong.add(route.id() + " as another project's admin: " + other.statusCode() + " " + other.body());
            }
            checked += 4;
        }
        System.out.println("auth matrix: " + routes().size() + " routes, " + checked + " calls checked");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static void expect(List<String> wrong, Route route, String who, HttpResponse<String> r, int code) {
        if (r.statusCode() != code) {
            wrong.add(route.id() + " as " + who + ": expected " + code + ", got " + r.statusCode() + " " + r.body());
        }
    }

    @Test
    void theScrapeTokenOpensMetricsAndNothingElse() throws Exception {
        HttpResponse<String> metrics = send("GET", "/metrics", null, SCRAPE_TOKEN);
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), metrics.headers().toString());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), metrics.body());
        int others = 0;
        for (Route route : routes()) {
            if (route.row().equals("GET /metrics") || PUBLIC.contains(route.row())) {
                continue;
            }
            HttpResponse<String> r = send(route.method(), concrete(route.template()), body(route), SCRAPE_TOKEN);
            assertEquals(401, r.statusCode(), route.id() + " with the scrape token: " + r.body());
            others++;
        }
        assertTrue(others > 20, "checked " + others + " other routes");
        assertEquals(403, send("GET", "/metrics", null, SECRETS.get("viewer")).statusCode(), "metrics span projects: not for a viewer");
    }

    @Test
    void anotherProjectSeesNoneOfTheRunsInListings() throws Exception {
        HttpResponse<String> mine = send("GET", "/api/v1/runs", null, SECRETS.get("viewer"));
        assertTrue(mine.body().contains(runId), mine.body());
        HttpResponse<String> theirs = send("GET", "/api/v1/runs", null, SECRETS.get("other"));
        assertEquals(200, theirs.statusCode());
        assertTrue(!theirs.body().contains(runId), theirs.body());
        HttpResponse<String> byPipeline = send("GET", "/api/v1/runs?pipeline=matrix", null, SECRETS.get("other"));
        assertTrue(!byPipeline.body().contains(runId), byPipeline.body());
    }

    @Test
    void unknownPathsAndStaticFilesNeedAKeyToo() throws Exception {
        assertEquals(401, send("GET", "/openapi/trainlayer-v1.yml", null, null).statusCode());
        assertEquals(401, send("GET", "/api/v1/nothing-here", null, null).statusCode());
        assertEquals(200, send("GET", "/openapi/trainlayer-v1.yml", null, SECRETS.get("viewer")).statusCode());
        HttpResponse<String> health = send("GET", "/health", null, null);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
    }
}
