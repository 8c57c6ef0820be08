package dev.trainlayer.workflows.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One durable monitor per pipeline with triggers ({@code monitor/{project}/{pipeline}}): it checks the champion's
 * new labels, drift and live quality every {@code checkEvery}, starts retrains when a trigger's condition holds, sends
 * {@code model.drift}, {@code model.degraded} and {@code run.triggered}, and rolls a degraded champion back.
 */
@WorkflowInterface
public interface MonitorWorkflow {
    @WorkflowMethod
    void run(MonitorInput input);

    /** New settings; they apply from the next check, which comes at once. */
    @SignalMethod
    void configure(TriggerConfig config);

    /** Check now rather than at the next interval. */
    @SignalMethod
    void checkNow();

    /** End the monitor (triggers deleted); a run it started keeps going. */
    @SignalMethod
    void stop();

    @QueryMethod
    MonitorState state();
}
