package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.notify.Notification;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Webhook deliveries: which webhooks want an event, and one signed POST to one of them. */
@ActivityInterface
public interface NotifyActivities {
    /** The names of the project's webhooks that want {@code notification}. */
    @ActivityMethod(name = "WebhookTargets")
    List<String> targets(Notification notification);

    /**
     * POSTs the event to the webhook {@code webhook}, signed with its secret, and records the attempt. A 2xx answer
     * delivers it; a 408, 429, 5xx or no answer fails the attempt (Temporal retries with backoff); another 4xx
     * fails it for good ({@code WEBHOOK_REJECTED}). A webhook deleted meanwhile is skipped.
     */
    @ActivityMethod(name = "DeliverWebhook")
    void deliver(Notification notification, String webhook);
}
