package dev.trainlayer.workflows.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A project's webhook as the store keeps it ({@code Keys.webhook}). {@code secret} signs each body
 * ({@code X-Trainlayer-Signature: sha256=<hex HMAC-SHA256(secret, body)>}); it is never shown by the API, never
 * logged and never put in a Temporal payload: the delivering activity reads it from here.
 *
 * @param events    the events it receives
 * @param pipelines only events about these pipelines (empty: all of the project's)
 * @param format    {@code json} (the event as JSON) or {@code slack} (an incoming-webhook message)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Webhook(String name, String project, String url, List<String> events, List<String> pipelines, String secret,
                      String format, String updatedBy, String updatedAt) {
    public static final String JSON = "json";
    public static final String SLACK = "slack";

    public Webhook {
        events = events == null ? List.of() : List.copyOf(events);
        pipelines = pipelines == null ? List.of() : List.copyOf(pipelines);
    }

    public boolean wants(Notification n) {
        return events.contains(n.event()) && (pipelines.isEmpty() || n.pipeline() != null && pipelines.contains(n.pipeline()));
    }
}
