package dev.trainlayer.workflows.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What happened to one event at one webhook ({@code Keys.webhookDelivery}), rewritten after each attempt:
 * {@code outcome} is {@code delivered}, {@code retrying} (the last attempt failed, Temporal retries it) or
 * {@code failed} (refused with a client error, or out of attempts).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(String eventId, String event, String webhook, String outcome, List<Attempt> attempts) {
    public static final String DELIVERED = "delivered";
    public static final String RETRYING = "retrying";
    public static final String FAILED = "failed";

    public Delivery {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** One POST: the HTTP status (null when none came back) or the error, and how long it took. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(int attempt, String at, Integer status, String error, long durationMs) {}
}
