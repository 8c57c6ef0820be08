package dev.trainlayer.api;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * CORS for the codec endpoints, for exactly one origin: the Temporal web UI's ({@code trainlayer.api.codec.cors-origin},
 * e.g. {@code http://127.0.0.1:8233}; unset: no cross-origin access). The browser's preflight carries no credentials
 * and is answered here, before authentication; the real request still needs a key or token.
 */
@ServerFilter("/codec/**")
public class CodecCors implements Ordered {
    private final String origin;

    public CodecCors(@Value("${trainlayer.api.codec.cors-origin:}") String origin) {
        this.origin = origin.trim();
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;   // before authentication: a preflight has no Authorization header by design
    }

    private boolean allowed(HttpRequest<?> request) {
        return !origin.isEmpty() && origin.equals(request.getHeaders().get("Origin"));
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> preflight(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.OPTIONS || request.getHeaders().get("Access-Control-Request-Method") == null) {
            return null;
        }
        MutableHttpResponse<Object> response = HttpResponse.noContent();
        if (allowed(request)) {
            response.header("Access-Control-Allow-Origin", origin)
                    .header("Access-Control-Allow-Methods", "POST")
                    .header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Namespace")
                    .header("Access-Control-Allow-Credentials", "true")
                    .header("Access-Control-Max-Age", "600")
                    .header("Vary", "Origin");
        }
        return response;
    }

    @ResponseFilter
    public void allowOrigin(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (allowed(request)) {
            response.header("Access-Control-Allow-Origin", origin).header("Access-Control-Allow-Credentials", "true")
                    .header("Vary", "Origin");
        }
    }
}
