package dev.trainlayer.workflows.client;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.util.Optional;

/** A workflow's status as the server knows it (no worker needed), or empty when there is no such workflow. */
public final class WorkflowStatus {
    private WorkflowStatus() {}

    public static Optional<WorkflowExecutionStatus> of(WorkflowClient client, String workflowId) {
        try {
            return Optional.of(client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build()).getWorkflowExecutionInfo().getStatus());
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public static boolean running(WorkflowClient client, String workflowId) {
        return of(client, workflowId).filter(s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING).isPresent();
    }
}
