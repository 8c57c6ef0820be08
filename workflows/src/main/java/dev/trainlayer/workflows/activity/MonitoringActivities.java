package dev.trainlayer.workflows.activity;

import io.temporal.activity.ActivityInterface;

/** The pipeline monitor's work: checking the champion's live quality, drift and new labels, and rolling it back. */
@ActivityInterface
public interface MonitoringActivities {
    MonitorCheck check(MonitorCheckInput input);

    /** The champion after the rollback (the previous champion), or null when the champion had moved on and nothing was done. */
    Integer rollback(AutoRollbackInput input);
}
