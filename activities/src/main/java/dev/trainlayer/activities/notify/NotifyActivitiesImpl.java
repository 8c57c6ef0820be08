package dev.trainlayer.activities.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Heartbeats;
import dev.trainlayer.activities.Json;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.NotifyActivities;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.notify.Delivery;
import dev.trainlayer.workflows.notify.Notification;
import dev.trainlayer.workflows.notify.Webhook;
import dev.trainlayer.workflows.workflow.ActivityPolicies;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook deliveries. The body is a pure function of the event (sorted keys, the event's own time), so every
 * attempt sends the same bytes with the same signature and {@code X-Trainlayer-Event-Id}; receivers dedupe on
 * the id. Secrets are read from the store here and go nowhere else (not into logs, not into Temporal payloads).
 */
public class NotifyActivitiesImpl implements NotifyActivities {
    private static final Logger log = LoggerFactory.getLogger(NotifyActivitiesImpl.class);
    /** Sorted keys, no indentation: the signed bytes do not depend on map order. */
    private static final ObjectMapper BODY = JsonMapper.builder().findAndAddModules()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .build();
    public static final String SIGNATURE = "X-Trainlayer-Signature";
    public static final String EVENT_ID = "X-Trainlayer-Event-Id";
    public static final String EVENT = "X-Trainlayer-Event";
    public static final String ATTEMPT = "X-Trainlayer-Delivery-Attempt";

    private final ObjectStore store;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public NotifyActivitiesImpl(ObjectStore store) {
        this.store = store;
    }

    @Override
    public List<String> targets(Notification notification) {
        List<String> out = new ArrayList<>();
        String prefix = Keys.webhooks(notification.project());
        for (String key : store.list(prefix)) {
            String rest = key.substring(prefix.length());
            if (rest.contains("/") || !rest.endsWith(".json")) {
                continue;   // a delivery record, not a webhook
            }
            read(key).filter(w -> w.wants(notification)).ifPresent(w -> out.add(w.name()));
        }
        return out;
    }

    @Override
    public void deliver(Notification notification, String name) {
        Webhook webhook = read(Keys.webhook(notification.project(), name)).orElse(null);
        if (webhook == null) {
            log.info("webhook {} is gone; event {} is not sent to it", name, notification.id());
            return;
        }
        int attempt = Heartbeats.attempt();
        byte[] body = body(notification, webhook.format());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhook.url()))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("User-Agent", "trainlayer-webhooks")
                .header(EVENT, notification.event())
                .header(EVENT_ID, notification.id())
                .header(ATTEMPT, String.valueOf(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (webhook.secret() != null && !webhook.secret().isEmpty()) {
            request.header(SIGNATURE, "sha256=" + sign(webhook.secret(), body));
        }
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        long took = (System.nanoTime() - started) / 1_000_000;
        boolean delivered = status != null && status >= 200 && status < 300;
        boolean refused = status != null && status >= 400 && status < 500 && status != 408 && status != 429;
        boolean last = attempt >= ActivityPolicies.WEBHOOK_ATTEMPTS;
        String outcome = delivered ? Delivery.DELIVERED : refused || last ? Delivery.FAILED : Delivery.RETRYING;
        record(notification, name, new Delivery.Attempt(attempt, Instant.now().toString(), status, error, took), outcome);
        io.micrometer.core.instrument.Counter.builder("trainlayer.webhook.deliveries").tag("event", notification.event())
                .tag("outcome", outcome).description("webhook delivery attempts by outcome (retrying: it failed and is retried)")
                .register(dev.trainlayer.workflows.client.Telemetry.registry()).increment();
        if (delivered) {
            log.info("event {} ({}) delivered to webhook {} on attempt {}: {}", notification.id(), notification.event(), name, attempt, status);
            return;
        }
        String why = status == null ? error : "the receiver answered " + status;
        if (refused) {
            throw Failures.nonRetryable(FailureTypes.WEBHOOK_REJECTED, "webhook " + name + " refused event " + notification.id()
                    + ": " + why + "; fix its URL or receiver and PUT it again");
        }
        throw new IllegalStateException("webhook " + name + ": " + why + " (attempt " + attempt + " of "
                + ActivityPolicies.WEBHOOK_ATTEMPTS + ")");
    }

    /** The bytes sent: the event as JSON, or a Slack incoming-webhook message. */
    static byte[] body(Notification n, String format) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (Webhook.SLACK.equals(format)) {
            out.put("text", "*trainlayer* `" + n.event() + "` " + n.summary());
        } else {
            out.put("id", n.id());
            out.put("event", n.event());
            out.put("project", n.project());
            if (n.pipeline() != null) {
                out.put("pipeline", n.pipeline());
            }
            if (n.model() != null) {
                out.put("model", n.model());
            }
            if (n.runId() != null) {
                out.put("runId", n.runId());
                out.put("links", Map.of("run", "/api/v1/runs/" + n.runId(), "events", "/api/v1/runs/" + n.runId() + "/events"));
            }
            out.put("at", Instant.ofEpochMilli(n.atMillis()).toString());
            out.put("summary", n.summary());
            out.put("data", n.data());
        }
        try {
            return BODY.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex HMAC-SHA256 of the body with the webhook's secret: what {@code X-Trainlayer-Signature} carries after "sha256=". */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void record(Notification n, String name, Delivery.Attempt attempt, String outcome) {
        String key = Keys.webhookDelivery(n.project(), name, n.id());
        List<Delivery.Attempt> attempts = new ArrayList<>();
        try {
            Delivery before = Json.read(store.getBytes(store.bucket(), key), Delivery.class);
            before.attempts().stream().filter(a -> a.attempt() != attempt.attempt()).forEach(attempts::add);
        } catch (ObjectNotFoundException e) {
            // the first attempt
        } catch (RuntimeException e) {
            log.warn("delivery record {} is unreadable; starting it over", key);
        }
        attempts.add(attempt);
        try {
            store.putBytes(key, Json.bytes(new Delivery(n.id(), n.event(), name, outcome, attempts)), "application/json");
        } catch (RuntimeException e) {
            log.warn("could not record delivery of {} to {}: {}", n.id(), name, e.toString());
        }
    }

    private java.util.Optional<Webhook> read(String key) {
        try {
            return java.util.Optional.of(Json.read(store.getBytes(store.bucket(), key), Webhook.class));
        } catch (ObjectNotFoundException e) {
            return java.util.Optional.empty();
        }
    }
}
