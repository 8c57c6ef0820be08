package dev.trainlayer.workflows.activity;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface EvaluationActivities {
    EvaluationResult evaluate(EvaluateInput input);
}
