package dev.trainlayer.workflows.activity;

import io.temporal.activity.ActivityInterface;

/** Trials run on the training queues; they heartbeat per epoch and resume from their last checkpoint. */
@ActivityInterface
public interface TrainingActivities {
    TrialResult trainTrial(TrialInput input);
}
