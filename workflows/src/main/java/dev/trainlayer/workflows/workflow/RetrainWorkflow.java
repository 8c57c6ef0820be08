package dev.trainlayer.workflows.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One retrain run: snapshot → validate → features → trials → evaluate → gates → register → promote. */
@WorkflowInterface
public interface RetrainWorkflow {
    @WorkflowMethod
    RunState run(RetrainInput input);

    @QueryMethod
    RunState status();

    /**
     * The run's own event log from position {@code from} on (0: all of it). While a search runs, its events are
     * in the search's log; when it returns they are appended here, right after the {@code TRAINING} phase event.
     */
    @QueryMethod
    java.util.List<RunEvent> events(int from);

    /** Approve or reject a challenger waiting in {@link Phase#AWAITING_APPROVAL}; ignored otherwise. */
    @SignalMethod
    void decide(ApprovalDecision decision);
}
