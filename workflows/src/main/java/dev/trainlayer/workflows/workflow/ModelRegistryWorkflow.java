package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.PromoteRequest;
import dev.trainlayer.workflows.registry.RegisterRequest;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.registry.RollbackRequest;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One long-lived entity per model ({@code registry/{model}}): its versions, the champion alias and the
 * audit trail. Every change is an update, applied one at a time, and mirrored to the store.
 */
@WorkflowInterface
public interface ModelRegistryWorkflow {
    @WorkflowMethod
    void run(RegistryState state);

    @UpdateMethod
    ModelVersion register(RegisterRequest request);

    @UpdateMethod
    RegistryState promote(PromoteRequest request);

    @UpdateMethod
    RegistryState rollback(RollbackRequest request);

    @QueryMethod
    RegistryState state();
}
