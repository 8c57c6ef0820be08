package dev.trainlayer.workflows.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One event for webhooks: built once where it happens (a workflow, or a training trial for anomalies) and
 * delivered unchanged on every attempt, so its body, signature and {@code id} are the same across retries.
 *
 * @param id       stable and unique per event (the run, trial or registry entry it is about, and what happened)
 * @param event    one of {@code Alerts.EVENTS}
 * @param project  the project whose webhooks receive it
 * @param pipeline the pipeline it is about (webhooks may subscribe to some pipelines only); null for none
 * @param summary  one line a person reads (Slack shows it)
 * @param data     a few small fields (status, metrics, version, reasons, the alert's text)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(String id, String event, String project, String pipeline, String model, String runId, long atMillis,
                           String summary, Map<String, Object> data) {
    public Notification {
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
