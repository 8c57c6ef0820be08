package dev.trainlayer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard's login as a browser goes through it: a page without a session sends it to the login page, a
 * valid key is traded for an HttpOnly, SameSite=Lax cookie that opens pages and the API under the key's role,
 * unsafe calls with the cookie need the page's CSRF token, a login form from another site is refused, and logout
 * ends the session.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardSessionTest implements TestPropertyProvider {
    static final String VIEWER = "ui-viewer-secret-0123456789";
    static final String TRAINER = "ui-trainer-secret-0123456789";

    TestServers servers;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        servers = new TestServers();
        return servers.properties("v:p1:viewer:" + VIEWER + ",t:p1:trainer:" + TRAINER, Map.of("trainlayer.api.query-timeout", "50ms",
                "trainlayer.ui.temporal-web-url", "http://127.0.0.1:8233/"));
    }

    @AfterAll
    void stop() throws Exception {
        servers.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> login(String key, String next, String origin) throws Exception {
        String form = "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
        return send("POST", "/ui/login", form, "Content-Type", "application/x-www-form-urlencoded", "Origin", origin);
    }

    static String cookie(HttpResponse<String> r) {
        String set = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError("no Set-Cookie: " + r.headers().map()));
        return set.substring(0, set.indexOf(';'));
    }

    static String csrf(String page) {
        // The API's JSON leaves empty strings out: no "csrf" is no token.
        Matcher m = Pattern.compile("\"csrf\":\"([^\"]*)\"").matcher(page);
        return m.find() ? m.group(1) : "";
    }

    @Test
    void aBrowserLogsInWithAKeyAndUsesTheSessionUnderTheKeysRole() throws Exception {
        HttpResponse<String> page = send("GET", "/ui/?status=FAILED", null);
        assertEquals(303, page.statusCode());
        String location = page.headers().firstValue("Location").orElseThrow();
        assertEquals("/ui/login?next=" + URLEncoder.encode("/ui/?status=FAILED", StandardCharsets.UTF_8), location);

        HttpResponse<String> form = send("GET", location, null);
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("name=\"key\""), form.body());
        assertTrue(form.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));

        HttpResponse<String> wrong = login("not-a-key-of-anyone-000", "/ui/?status=FAILED", base());
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("not a valid API key"), wrong.body());
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());

        HttpResponse<String> ok = login(TRAINER, "/ui/?status=FAILED", base());
        assertEquals(303, ok.statusCode(), ok.body());
        assertEquals("/ui/?status=FAILED", ok.headers().firstValue("Location").orElseThrow());
        String set = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(set.startsWith("trainlayer_session="), set);
        assertTrue(set.toLowerCase(java.util.Locale.ROOT).contains("httponly"), set);
        assertTrue(set.contains("SameSite=Lax"), set);
        assertTrue(set.contains("Path=/"), set);
        assertFalse(set.contains(TRAINER), "the cookie must not carry the key");
        String cookie = cookie(ok);

        HttpResponse<String> shell = send("GET", "/ui/?status=FAILED", null, "Cookie", cookie);
        assertEquals(200, shell.statusCode(), shell.body());
        assertTrue(shell.body().contains("\"role\":\"trainer\""), shell.body());
        assertTrue(shell.body().contains("\"url\":\"http://127.0.0.1:8233\""), shell.body());
        assertFalse(shell.body().contains(TRAINER));
        String token = csrf(shell.body());
        assertTrue(token.length() > 20, token);

        // The cookie reads the API as the key would.
        assertEquals(200, send("GET", "/api/v1/runs", null, "Cookie", cookie).statusCode());
        // Unsafe calls with the cookie need the CSRF token; with it, the key's role decides.
        String spec = "name: ui\ntask: classification\ntarget: y\ndata: {uri: \"s3://trainlayer/uploads/p1/ui/x.csv\"}\n";
        HttpResponse<String> forged = send("POST", "/api/v1/runs", spec, "Cookie", cookie, "Content-Type", "application/yaml");
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("X-CSRF-Token"), forged.body());
        HttpResponse<String> badToken = send("POST", "/api/v1/runs", spec, "Cookie", cookie, "Content-Type", "application/yaml",
                "X-CSRF-Token", token.substring(1) + "x");
        assertEquals(403, badToken.statusCode(), badToken.body());
        HttpResponse<String> started = send("POST", "/api/v1/runs", spec, "Cookie", cookie, "Content-Type", "application/yaml",
                "X-CSRF-Token", token);
        assertEquals(202, started.statusCode(), started.body());
        Matcher run = Pattern.compile("\"runId\"\\s*:\\s*\"([^\"]+)\"").matcher(started.body());
        assertTrue(run.find());
        assertEquals(200, send("GET", "/ui/runs/" + run.group(1), null, "Cookie", cookie).statusCode());
        assertEquals(404, send("GET", "/ui/runs/no-such-run", null, "Cookie", cookie).statusCode());
        // Approving needs the approver role: the cookie is no more than its key.
        HttpResponse<String> approve = send("POST", "/api/v1/runs/" + run.group(1) + "/approve", "{}", "Cookie", cookie,
                "Content-Type", "application/json", "X-CSRF-Token", token);
        assertEquals(403, approve.statusCode(), approve.body());

        // A tampered cookie is no session.
        String tampered = cookie.substring(0, cookie.length() - 3) + (cookie.endsWith("AAA") ? "BBB" : "AAA");
        assertEquals(401, send("GET", "/api/v1/runs", null, "Cookie", tampered).statusCode());
        HttpResponse<String> expiredPage = send("GET", "/ui/", null, "Cookie", tampered);
        assertEquals(303, expiredPage.statusCode());
        assertTrue(expiredPage.headers().firstValue("Location").orElse("").contains("expired=1"));

        // Logout needs the token too, then the cookie is dead.
        assertEquals(403, send("POST", "/ui/logout", null, "Cookie", cookie).statusCode());
        HttpResponse<String> out = send("POST", "/ui/logout", null, "Cookie", cookie, "X-CSRF-Token", token);
        assertEquals(200, out.statusCode(), out.body());
        assertTrue(out.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"), out.headers().map().toString());
        assertEquals(401, send("GET", "/api/v1/runs", null, "Cookie", cookie).statusCode());
    }

    @Test
    void aLoginFormFromAnotherSiteIsRefusedAndNextNeverLeavesTheDashboard() throws Exception {
        HttpResponse<String> foreign = login(VIEWER, "/ui/", "https://evil.example");
        assertEquals(403, foreign.statusCode());
        assertTrue(foreign.headers().firstValue("Set-Cookie").isEmpty());
        for (String next : new String[] {"https://evil.example/", "//evil.example/ui/", "/api/v1/runs", "/ui/\\evil", "/ui/a b",
                "/ui/\"x", "/ui/{x}", "/ui/\r\nSet-Cookie: x=y"}) {
            HttpResponse<String> r = login(VIEWER, next, base());
            assertEquals(303, r.statusCode(), next);
            assertEquals("/ui/", r.headers().firstValue("Location").orElseThrow(), next);
        }
        // Behind a proxy that rewrites Host, the forwarded host is the browser's.
        String form = "key=" + VIEWER + "&next=/ui/";
        HttpResponse<String> proxied = send("POST", "/ui/login", form, "Content-Type", "application/x-www-form-urlencoded",
                "Origin", "https://ml.example.org", "X-Forwarded-Host", "ml.example.org");
        assertEquals(303, proxied.statusCode(), proxied.body());
        HttpResponse<String> empty = send("POST", "/ui/login", "key=&next=/ui/", "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(400, empty.statusCode());
    }

    @Test
    void scriptsOpenPagesWithTheBearerKeyAndAssetsAreServed() throws Exception {
        HttpResponse<String> page = send("GET", "/ui/", null, "Authorization", "Bearer " + VIEWER);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("data-page=\"runs\""), page.body());
        assertEquals("", csrf(page.body()), "a bearer request has no session and so no CSRF token");
        HttpResponse<String> echarts = send("GET", "/ui/assets/echarts.min.js", null);
        assertEquals(200, echarts.statusCode());
        assertTrue(echarts.body().length() > 500_000, "ECharts from its webjar");
        assertTrue(echarts.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(200, send("GET", "/ui/assets/app.js", null).statusCode());
        assertEquals(404, send("GET", "/ui/assets/..%2Fapplication.yml", null).statusCode());
        assertEquals(404, send("GET", "/ui/assets/application.yml", null).statusCode());
    }
}
