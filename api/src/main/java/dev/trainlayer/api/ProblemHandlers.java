package dev.trainlayer.api;

import dev.trainlayer.store.StoreException;
import dev.trainlayer.workflows.spec.InvalidSpecException;
import dev.trainlayer.workflows.spec.Violation;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps failures to problem responses in one place: bad input → 4xx naming the field; outages → 503. */
public final class ProblemHandlers {
    static final MediaType PROBLEM = MediaType.of("application/problem+json");
    private static final Logger log = LoggerFactory.getLogger(ProblemHandlers.class);

    private ProblemHandlers() {}

    /** The one shape of every error answer, also the auth filter's. */
    public static io.micronaut.http.MutableHttpResponse<Problem> respond(HttpStatus status, String type, String detail,
                                                                         List<Violation> violations) {
        return HttpResponse.<Problem>status(status).contentType(PROBLEM)
                .body(new Problem("urn:trainlayer:problem:" + type, status.getReason(), status.getCode(), detail, violations));
    }

    @Singleton
    @Produces
    @Requires(classes = {InvalidSpecException.class, ExceptionHandler.class})
    static class InvalidSpec implements ExceptionHandler<InvalidSpecException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, InvalidSpecException e) {
            return respond(HttpStatus.BAD_REQUEST, "invalid-spec", "the pipeline spec is invalid: " + e.getMessage(), e.violations());
        }
    }

    @Singleton
    @Produces
    @Requires(classes = {ApiException.class, ExceptionHandler.class})
    static class Api implements ExceptionHandler<ApiException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ApiException e) {
            return respond(e.status(), e.type(), e.getMessage(), List.of());
        }
    }

    /** A body in a charset the JVM does not know ({@code Content-Type: application/json; charset=ebcdic}). */
    @Singleton
    @Produces
    @Requires(classes = {java.nio.charset.UnsupportedCharsetException.class, ExceptionHandler.class})
    static class UnknownCharset implements ExceptionHandler<java.nio.charset.UnsupportedCharsetException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, java.nio.charset.UnsupportedCharsetException e) {
            return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-charset", "Content-Type: the charset '" + e.getCharsetName()
                    + "' is not supported; send UTF-8", List.of());
        }
    }

    @Singleton
    @Produces
    @Requires(classes = {java.nio.charset.IllegalCharsetNameException.class, ExceptionHandler.class})
    static class BadCharset implements ExceptionHandler<java.nio.charset.IllegalCharsetNameException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, java.nio.charset.IllegalCharsetNameException e) {
            return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-charset", "Content-Type: the charset name is not valid; send UTF-8",
                    List.of());
        }
    }

    @Singleton
    @Produces
    @Requires(classes = {StoreException.class, ExceptionHandler.class})
    static class Store implements ExceptionHandler<StoreException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, StoreException e) {
            log.warn("store unavailable for {} {}: {}", request.getMethod(), request.getPath(), e.getMessage());
            return respond(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable",
                    "the object store is not reachable right now; retry shortly", List.of());
        }
    }

    @Singleton
    @Produces
    @Requires(classes = {StatusRuntimeException.class, ExceptionHandler.class})
    static class Temporal implements ExceptionHandler<StatusRuntimeException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, StatusRuntimeException e) {
            log.warn("Temporal unavailable for {} {}: {}", request.getMethod(), request.getPath(), e.getStatus());
            return respond(HttpStatus.SERVICE_UNAVAILABLE, "temporal-unavailable",
                    "the Temporal service is not reachable right now; retry shortly", List.of());
        }
    }
}
