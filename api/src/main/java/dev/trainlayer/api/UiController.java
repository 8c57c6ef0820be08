package dev.trainlayer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Public;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.api.auth.UiLogin;
import dev.trainlayer.api.auth.UiPage;
import dev.trainlayer.api.auth.UiSessions;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard under {@code /ui/}: a page shell per view (runs, run, model, compare, pipeline) whose script
 * draws it from the JSON API with the browser's session cookie, the login page that opens that session, and
 * the static assets (the script, the style sheet, ECharts from its webjar). Pages hold no data themselves;
 * what a page shows is what the caller's key may read through the API.
 */
@Controller("/ui")
@io.swagger.v3.oas.annotations.Hidden   // HTML pages for people, not part of the API scripts call
@io.micronaut.scheduling.annotation.ExecuteOn(io.micronaut.scheduling.TaskExecutors.BLOCKING)
public class UiController {
    private static final String ECHARTS = "META-INF/resources/webjars/echarts/" + echartsVersion() + "/dist/echarts.min.js";
    /** The only files {@code /ui/assets/} serves, and where each comes from. */
    private static final Map<String, String> ASSETS = Map.of(
            "app.js", "ui/app.js",
            "app.css", "ui/app.css",
            "echarts.min.js", ECHARTS);
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final UiLogin login;
    private final RunService runs;
    private final ObjectMapper json;
    private final String temporalWebUrl;
    private final String namespace;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public UiController(UiLogin login, RunService runs, ObjectMapper json,
                        @Value("${trainlayer.ui.temporal-web-url:}") String temporalWebUrl,
                        @Value("${trainlayer.temporal.namespace:default}") String namespace) {
        this.login = login;
        this.runs = runs;
        this.json = json;
        this.temporalWebUrl = temporalWebUrl.endsWith("/") ? temporalWebUrl.substring(0, temporalWebUrl.length() - 1) : temporalWebUrl;
        this.namespace = namespace;
    }

    @Get(value = "/", produces = MediaType.TEXT_HTML)
    @Allowed(Role.VIEWER)
    @UiPage
    public HttpResponse<String> runs(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return page(request, caller, "runs", "Runs", Map.of());
    }

    @Get(value = "/runs/{runId}", produces = MediaType.TEXT_HTML)
    @Allowed(Role.VIEWER)
    @UiPage
    public HttpResponse<String> run(@PathVariable String runId, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        runs.require(caller.project(), runId);   // another project's run, or none: 404 as in the API
        return page(request, caller, "run", "Run " + runId, Map.of("runId", runId));
    }

    @Get(value = "/models/{model}", produces = MediaType.TEXT_HTML)
    @Allowed(Role.VIEWER)
    @UiPage
    public HttpResponse<String> model(@PathVariable String model, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return page(request, caller, "model", "Model " + model, Map.of("model", model));
    }

    /** Two to four runs side by side ({@code ?ids=a,b}); without ids the page says how to pick them. */
    @Get(value = "/compare", produces = MediaType.TEXT_HTML)
    @Allowed(Role.VIEWER)
    @UiPage
    public HttpResponse<String> compare(@Nullable @QueryValue String ids, HttpRequest<?> request,
                                        @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        if (ids != null) {
            // Runs of another project, or none: 404 as in the API.
            java.util.Arrays.stream(ids.split(",")).map(String::trim).filter(id -> !id.isEmpty()).distinct().limit(4)
                    .forEach(id -> runs.require(caller.project(), id));
        }
        return page(request, caller, "compare", "Compare runs", Map.of("ids", ids == null ? "" : ids));
    }

    @Get(value = "/pipelines/{name}", produces = MediaType.TEXT_HTML)
    @Allowed(Role.VIEWER)
    @UiPage
    public HttpResponse<String> pipeline(@PathVariable String name, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return page(request, caller, "pipeline", "Pipeline " + name, Map.of("pipeline", name));
    }

    @Get(value = "/login", produces = MediaType.TEXT_HTML)
    @Public
    public HttpResponse<String> loginPage(@Nullable @QueryValue String next, @Nullable @QueryValue String expired) {
        return loginPage(HttpStatus.OK, safeNext(next), expired != null ? "Your session has ended. Log in again." : "");
    }

    /**
     * Trades an API key for a session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) and goes back to the
     * page that asked for it. A form posted from another origin is refused: nobody can be logged in as someone else.
     */
    @Post(value = "/login", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.APPLICATION_JSON}, produces = MediaType.TEXT_HTML)
    @Public
    public HttpResponse<String> login(@Nullable String key, @Nullable String next, HttpRequest<?> request) {
        String back = safeNext(next);
        if (!sameOrigin(request)) {
            return loginPage(HttpStatus.FORBIDDEN, back, "The login form was sent from another site.");
        }
        if (key == null || key.isBlank()) {
            return loginPage(HttpStatus.BAD_REQUEST, back, "Enter an API key.");
        }
        Optional<String> session = login.login(key);
        if (session.isEmpty()) {
            return loginPage(HttpStatus.UNAUTHORIZED, back, "That is not a valid API key.");
        }
        return HttpResponse.<String>seeOther(URI.create(back)).cookie(sessionCookie(session.get(), request, login.ttl().toSeconds()));
    }

    /** Ends the session (the page's script posts here with its CSRF token) and clears the cookie. */
    @Post(value = "/logout")
    @Allowed(Role.VIEWER)
    public HttpResponse<Map<String, Object>> logout(HttpRequest<?> request) {
        request.getCookies().findCookie(UiSessions.COOKIE).ifPresent(c -> login.logout(c.getValue()));
        return HttpResponse.ok(Map.<String, Object>of("loggedOut", true)).cookie(sessionCookie("", request, 0));
    }

    @Get("/assets/{name}")
    @Public
    public HttpResponse<byte[]> asset(@PathVariable String name) {
        String resource = ASSETS.get(name);
        if (resource == null) {
            throw ApiException.notFound("no dashboard asset named '" + name + "'");
        }
        String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
        return HttpResponse.ok(resource(resource)).contentType(MediaType.of(type))
                .header("Cache-Control", resource.equals(ECHARTS) ? "public, max-age=604800" : "no-cache")
                .header("X-Content-Type-Options", "nosniff");
    }

    private MutableHttpResponse<String> page(HttpRequest<?> request, Caller caller, String page, String title, Map<String, String> params) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("page", page);
        config.put("params", params);
        config.put("user", Map.of("name", caller.name(), "project", caller.project(), "role", caller.role().wire()));
        // Scripts that open a page with a bearer key have no session, and so no token: the page is theirs to read only.
        config.put("csrf", request.getCookies().findCookie(UiSessions.COOKIE).map(c -> login.csrfToken(c.getValue())).orElse(""));
        if (!temporalWebUrl.isBlank()) {
            config.put("temporal", Map.of("url", temporalWebUrl, "namespace", namespace));
        }
        String html = fill(new String(resource("ui/page.html"), StandardCharsets.UTF_8),
                Map.of("title", escape(title), "page", page, "config", scriptSafe(config)));
        return secured(HttpResponse.ok(html).contentType(MediaType.TEXT_HTML_TYPE));
    }

    private MutableHttpResponse<String> loginPage(HttpStatus status, String next, String error) {
        String html = fill(new String(resource("ui/login.html"), StandardCharsets.UTF_8), Map.of("next", escape(next),
                "error", error.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>"));
        MutableHttpResponse<String> response = secured(HttpResponse.<String>status(status).body(html).contentType(MediaType.TEXT_HTML_TYPE));
        return status == HttpStatus.UNAUTHORIZED ? response.header("WWW-Authenticate", "Bearer realm=\"trainlayer\"") : response;
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{\\{(\\w+)}}");

    /** The template with each {@code {{name}}} replaced in one pass, so no inserted text is read as a placeholder. */
    static String fill(String template, Map<String, String> values) {
        java.util.regex.Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static <T> MutableHttpResponse<T> secured(MutableHttpResponse<T> response) {
        return response.header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-store");
    }

    private static Cookie sessionCookie(String value, HttpRequest<?> request, long maxAgeSeconds) {
        boolean https = request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
        return Cookie.of(UiSessions.COOKIE, value).httpOnly(true).sameSite(SameSite.Lax).path("/").secure(https).maxAge(maxAgeSeconds);
    }

    private static final java.util.regex.Pattern SAFE_NEXT = java.util.regex.Pattern.compile("/ui/[A-Za-z0-9/_.~%?&=,:+-]*");

    /** Where to go after logging in: a dashboard path of ours, never another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/ui/") || next.length() > 2000 || !SAFE_NEXT.matcher(next).matches()) {
            return "/ui/";
        }
        return next;
    }

    /** A form post's Origin (or Referer) names this server; browsers always send one of them with a POST. */
    static boolean sameOrigin(HttpRequest<?> request) {
        String host = request.getHeaders().get("Host");
        // Behind a proxy that rewrites Host, the browser's host is the one it forwards.
        String forwarded = request.getHeaders().get("X-Forwarded-Host");
        String origin = request.getHeaders().get("Origin");
        if (origin == null) {
            String referer = request.getHeaders().get("Referer");
            if (referer == null) {
                return true;   // not a browser: a script that could send the key as a bearer anyway
            }
            origin = referer;
        }
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return authority != null && (authority.equalsIgnoreCase(host == null ? "" : host)
                    || forwarded != null && authority.equalsIgnoreCase(forwarded.split(",")[0].strip()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private byte[] resource(String path) {
        return cache.computeIfAbsent(path, p -> {
            try (InputStream in = UiController.class.getClassLoader().getResourceAsStream(p)) {
                if (in == null) {
                    throw new IllegalStateException("the dashboard resource " + p + " is missing from the API's classpath");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The config object as a JSON script block: '<' escaped so no value can close the script element. */
    private String scriptSafe(Object value) {
        try {
            return json.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String echartsVersion() {
        try (InputStream in = UiController.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "5.3.1");
        } catch (IOException e) {
            return "5.3.1";
        }
    }
}
