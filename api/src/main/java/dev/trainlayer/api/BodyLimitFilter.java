package dev.trainlayer.api;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.List;

/**
 * Bodies other than dataset uploads (specs, approvals, schedules) are small documents: one that declares more
 * than {@code trainlayer.api.max-body-size} (default 1MB) is refused with 413 naming the body before it is read,
 * so a huge spec cannot fill the API's memory. Uploads have their own, larger limit ({@link DatasetsController}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class BodyLimitFilter implements Ordered {
    private final long maxBytes;

    public BodyLimitFilter(@Value("${trainlayer.api.max-body-size:1MB}") String maxBodySize) {
        this.maxBytes = DatasetsController.parseSize(maxBodySize, "trainlayer.api.max-body-size");
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 200;   // after authentication: an anonymous caller learns nothing about limits
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> limit(HttpRequest<?> request) {
        if (request.getPath().startsWith("/api/v1/datasets/")) {
            return null;
        }
        long declared = request.getContentLength();
        if (declared > maxBytes) {
            return ProblemHandlers.respond(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too-large", "body: " + declared
                    + " bytes is more than the " + maxBytes + " a spec or request document may have (trainlayer.api.max-body-size)", List.of());
        }
        return null;
    }
}
