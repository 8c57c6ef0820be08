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

    /** Approve or reject a challenger waiting in {@link Phase#AWAITING_APPROVAL}; ignored otherwise. */
    @SignalMethod
    void decide(ApprovalDecision decision);
}
