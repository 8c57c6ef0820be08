package dev.trainlayer.workflows.activity;

import io.temporal.activity.ActivityInterface;

/** The optimizer, as an activity: suggestions are computed outside the workflow and recorded in its history. */
@ActivityInterface
public interface TuningActivities {
    SuggestResult suggest(SuggestInput input);
}
