package dev.trainlayer.workflows.notify;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Delivers one event to every webhook of its project that wants it, each delivery an activity with its own
 * retries and backoff. Started detached (abandoned by its parent, or by a trial from its worker), so a slow or
 * failing receiver never fails or slows the run the event is about.
 */
@WorkflowInterface
public interface NotifyWorkflow {
    @WorkflowMethod
    void deliver(Notification notification);
}
