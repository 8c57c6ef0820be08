package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.BatchScoreInput;
import dev.trainlayer.workflows.activity.BatchScoreResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One batch scoring job ({@code POST /api/v1/models/{model}/score}), id {@link WorkflowIds#score}. */
@WorkflowInterface
public interface ScoreWorkflow {
    @WorkflowMethod
    BatchScoreResult score(BatchScoreInput input);
}
