package dev.trainlayer.workflows.activity;

import io.temporal.activity.ActivityInterface;

/** Trials run on the training queues; they heartbeat per epoch and resume from their last checkpoint. */
@ActivityInterface
public interface TrainingActivities {
    TrialResult trainTrial(TrialInput input);

    /**
     * Prunes and quantizes a trained model (spec {@code optimize}) and measures the result against the original on the
     * test rows. Never fails on the model itself: what could not be done is the result's {@code reason}.
     */
    dev.trainlayer.workflows.registry.Optimization optimize(OptimizeInput input);
}
