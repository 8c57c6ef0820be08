package dev.trainlayer.workflows.notify;

import dev.trainlayer.workflows.activity.NotifyActivities;
import dev.trainlayer.workflows.workflow.ActivityPolicies;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

public class NotifyWorkflowImpl implements NotifyWorkflow {
    private static final Logger log = Workflow.getLogger(NotifyWorkflowImpl.class);

    private final NotifyActivities lookup = Workflow.newActivityStub(NotifyActivities.class, ActivityPolicies.light());
    private final NotifyActivities post = Workflow.newActivityStub(NotifyActivities.class, ActivityPolicies.webhook());

    @Override
    public void deliver(Notification notification) {
        List<String> targets = lookup.targets(notification);
        List<Promise<Void>> deliveries = new ArrayList<>();
        for (String webhook : targets) {
            deliveries.add(Async.procedure(post::deliver, notification, webhook));
        }
        for (int i = 0; i < deliveries.size(); i++) {
            try {
                deliveries.get(i).get();
            } catch (ActivityFailure e) {
                // Recorded in the webhook's deliveries by the activity; one receiver's failure is not the others'.
                log.warn("event {} was not delivered to webhook {}: {}", notification.id(), targets.get(i), e.getMessage());
            }
        }
    }
}
