package dev.trainlayer.api.auth;

import dev.trainlayer.api.Problem;
import dev.trainlayer.api.ProblemHandlers;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one authentication and authorization layer: every request passes here before any controller. A route
 * marked {@link Public} answers anyone; every other request needs {@code Authorization: Bearer <key>} — an API
 * key, or an OIDC/JWT token when {@link JwtAuthenticator} is configured — (401
 * otherwise), and the route's {@link Allowed} role (403 naming it). A matched route with neither annotation
 * is refused to everyone: forgetting to decide is never "open". Requests that match no route (static files
 * such as the OpenAPI document, unknown paths) need a valid key of any role.
 * <p>The dashboard's browsers send no header but the session cookie the login page set ({@link UiSessions}): it
 * stands for the key it was opened with, under the same roles, and an unsafe request made with it must also
 * carry the session's CSRF token. A {@link UiPage} opened without either is sent to the login page.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class AuthFilter implements Ordered {
    private static final Logger log = LoggerFactory.getLogger(AuthFilter.class);

    private final AuthBeans.Credentials credentials;
    private final UiLogin sessions;

    public AuthFilter(AuthBeans.Credentials credentials, UiLogin sessions) {
        this.credentials = credentials;
        this.sessions = sessions;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 100;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        AnnotationMetadata route = RouteAttributes.getRouteMatch(request).map(RouteMatch::getAnnotationMetadata).orElse(null);
        if (route != null && route.hasAnnotation(Public.class)) {
            return null;
        }
        Optional<String> header = request.getHeaders().getAuthorization();
        Optional<Caller> caller;
        if (header.isEmpty()) {
            Optional<String> session = request.getCookies().findCookie(UiSessions.COOKIE).map(io.micronaut.http.cookie.Cookie::getValue);
            caller = session.flatMap(sessions::caller);
            if (caller.isEmpty()) {
                if (route != null && route.hasAnnotation(UiPage.class) && isSafe(request)) {
                    return toLogin(request, session.isPresent());
                }
                return unauthorized(session.isPresent() ? "the dashboard session has ended: log in again at /ui/login"
                        : "this call needs an API key: send `Authorization: Bearer <key>`");
            }
            if (!isSafe(request) && !session.map(s -> sessions.csrfMatches(s, request.getHeaders().get(UiSessions.CSRF_HEADER))).orElse(false)) {
                return problem(HttpStatus.FORBIDDEN, "csrf", "a request made with a dashboard session must carry the page's "
                        + UiSessions.CSRF_HEADER + " header");
            }
        } else {
            String value = header.get().trim();
            if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return unauthorized("the Authorization header must be `Bearer <key>`");
            }
            String token = value.substring(7).trim();
            if (route != null && route.hasAnnotation(ScrapeToken.class) && credentials.isScrapeToken(token)) {
                return null;
            }
            caller = credentials.keys().authenticate(token);
            if (caller.isEmpty() && credentials.jwt().isPresent() && JwtAuthenticator.looksLikeJwt(token)) {
                try {
                    caller = credentials.jwt().get().authenticate(token);
                } catch (JwtAuthenticator.UnmappedTokenException e) {
                    return problem(HttpStatus.FORBIDDEN, "forbidden", e.getMessage());
                }
            }
            if (caller.isEmpty()) {
                log.info("refused an unknown key or token for {}", request.getMethod());
                return unauthorized("the API key or token is not valid");
            }
        }
        Caller who = caller.get();
        if (route != null) {
            Optional<Role> needed = route.enumValue(Allowed.class, Role.class);
            if (needed.isEmpty()) {
                log.error("route {} {} declares no role; refusing it to everyone", request.getMethod(), request.getPath());
                return problem(HttpStatus.FORBIDDEN, "forbidden", "this route declares no role and is closed to every key");
            }
            if (!who.role().includes(needed.get())) {
                return problem(HttpStatus.FORBIDDEN, "forbidden", "this call needs the role " + needed.get().wire()
                        + " or higher; key '" + who.name() + "' has " + who.role().wire());
            }
        }
        request.setAttribute(Caller.ATTRIBUTE, who);
        return null;
    }

    private static boolean isSafe(HttpRequest<?> request) {
        return switch (request.getMethod()) {
            case GET, HEAD, OPTIONS -> true;
            default -> false;
        };
    }

    /** A browser without a session goes to the login page, which brings it back here afterwards. */
    private static HttpResponse<?> toLogin(HttpRequest<?> request, boolean expired) {
        String back = request.getUri().getRawPath() + (request.getUri().getRawQuery() == null ? "" : "?" + request.getUri().getRawQuery());
        return HttpResponse.seeOther(java.net.URI.create("/ui/login?next=" + java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8)
                + (expired ? "&expired=1" : "")));
    }

    private static HttpResponse<Problem> unauthorized(String detail) {
        return problem(HttpStatus.UNAUTHORIZED, "unauthorized", detail).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"trainlayer\"");
    }

    private static io.micronaut.http.MutableHttpResponse<Problem> problem(HttpStatus status, String type, String detail) {
        return ProblemHandlers.respond(status, type, detail, List.of());
    }
}
