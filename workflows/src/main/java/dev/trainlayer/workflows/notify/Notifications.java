package dev.trainlayer.workflows.notify;

import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;

/** Publishing an event from workflow code: a detached {@link NotifyWorkflow} per event. */
public final class Notifications {
    private Notifications() {}

    /**
     * Starts the event's delivery and returns once it has started (not delivered): the delivery outlives the
     * caller and its failures stay its own. Publishing the same event id twice delivers it once.
     */
    public static void publish(Notification notification) {
        NotifyWorkflow delivery = Workflow.newChildWorkflowStub(NotifyWorkflow.class, ChildWorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.notify(notification.project(), notification.id()))
                .setTaskQueue(TaskQueues.CONTROL)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
        Async.procedure(delivery::deliver, notification);
        try {
            Workflow.getWorkflowExecution(delivery).get();
        } catch (ChildWorkflowFailure e) {
            // Already started (a reset run publishing again): delivered once, as its id promises.
        }
    }
}
