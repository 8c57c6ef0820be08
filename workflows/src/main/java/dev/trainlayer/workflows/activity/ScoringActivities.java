package dev.trainlayer.workflows.activity;

import io.temporal.activity.ActivityInterface;

/** Scoring whole CSV objects with a registered version (the predict route's code, in a worker). */
@ActivityInterface
public interface ScoringActivities {
    BatchScoreResult scoreBatch(BatchScoreInput input);
}
