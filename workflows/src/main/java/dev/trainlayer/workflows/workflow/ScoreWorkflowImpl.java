package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.BatchScoreInput;
import dev.trainlayer.workflows.activity.BatchScoreResult;
import dev.trainlayer.workflows.activity.ScoringActivities;
import io.temporal.workflow.Workflow;

/** A durable batch scoring job: one heartbeating activity; a worker that dies mid-job costs a retry, not the job. */
public class ScoreWorkflowImpl implements ScoreWorkflow {
    private final ScoringActivities scoring = Workflow.newActivityStub(ScoringActivities.class, ActivityPolicies.scoring());

    @Override
    public BatchScoreResult score(BatchScoreInput input) {
        return scoring.scoreBatch(input);
    }
}
