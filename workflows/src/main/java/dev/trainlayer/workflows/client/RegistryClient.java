package dev.trainlayer.workflows.client;

import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.registry.CommandOutcome;
import dev.trainlayer.workflows.registry.RegistryCommand;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.workflow.ModelRegistryWorkflow;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryException;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends commands to a model's registry workflow (starting it on first use) and waits for their outcome.
 * Used by the register/promote activities and by the API.
 */
public final class RegistryClient {
    private static final Duration POLL = Duration.ofMillis(100);

    private RegistryClient() {}

    /** Raised when the registry refuses a command (unknown version, nothing to roll back to, ...). */
    public static final class RefusedException extends RuntimeException {
        private final String type;

        public RefusedException(String type, String message) {
            super(message);
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    /** The registry's state, or empty when the model has never been registered. */
    public static Optional<RegistryState> state(WorkflowClient client, String model) {
        try {
            return Optional.of(client.newWorkflowStub(ModelRegistryWorkflow.class, WorkflowIds.registry(model)).state());
        } catch (WorkflowNotFoundException e) {
            return Optional.empty();
        } catch (WorkflowQueryException e) {
            if (e.getCause() instanceof WorkflowNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Delivers the command (signal-with-start, so the first command creates the registry) and waits until
     * the registry has applied or refused it.
     */
    public static CommandOutcome send(WorkflowClient client, String model, RegistryCommand command, Duration timeout,
                                      Runnable whileWaiting) {
        ModelRegistryWorkflow stub = client.newWorkflowStub(ModelRegistryWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.registry(model))
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.MODEL, model).build())
                .build());
        BatchRequest request = client.newSignalWithStartRequest();
        request.add(stub::run, RegistryState.empty(model));
        request.add(stub::submit, command);
        client.signalWithStart(request);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<CommandOutcome> outcome = state(client, model).flatMap(s -> s.outcome(command.requestId()));
            if (outcome.isPresent()) {
                if (!outcome.get().applied()) {
                    throw new RefusedException(outcome.get().failureType(), outcome.get().message());
                }
                return outcome.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the registry of " + model + " did not apply " + command.requestId()
                        + " within " + timeout + "; is a worker running?");
            }
            whileWaiting.run();
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
        }
    }
}
