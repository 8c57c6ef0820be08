package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.registry.RegistryCommand;
import dev.trainlayer.workflows.registry.RegistryState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One long-lived entity per model ({@code registry/{model}}): its versions, the champion alias and the
 * audit trail. Changes arrive as signals and are applied one at a time in arrival order (so version
 * numbers and the champion never race), each mirrored to the store; senders read their command's
 * outcome through {@link #state()}. Signals rather than updates: they behave the same on every Temporal
 * server this runs on, the embedded Java test server included.
 */
@WorkflowInterface
public interface ModelRegistryWorkflow {
    @WorkflowMethod
    void run(RegistryState state);

    @SignalMethod
    void submit(RegistryCommand command);

    @QueryMethod
    RegistryState state();
}
