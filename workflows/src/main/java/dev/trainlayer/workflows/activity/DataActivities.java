package dev.trainlayer.workflows.activity;

import io.temporal.activity.ActivityInterface;

/** Data handling on the control queue: snapshot the source, validate it, build the features. */
@ActivityInterface
public interface DataActivities {
    SnapshotResult snapshot(SnapshotInput input);

    ValidationReport validate(ValidateInput input);

    FeaturesResult buildFeatures(FeaturesInput input);
}
