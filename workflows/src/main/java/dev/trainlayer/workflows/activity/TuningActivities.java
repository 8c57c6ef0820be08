package dev.trainlayer.workflows.activity;

import io.temporal.activity.ActivityInterface;

/** The optimizer, as an activity: suggestions are computed outside the workflow and recorded in its history. */
@ActivityInterface
public interface TuningActivities {
    SuggestResult suggest(SuggestInput input);

    /** Earlier runs' observations that may seed this search (newest runs first, capped). */
    java.util.List<SearchObservation> priors(PriorsInput input);

    void recordObservations(RecordObservationsInput input);
}
