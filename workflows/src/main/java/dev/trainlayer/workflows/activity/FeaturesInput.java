package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.PipelineSpec;

/**
 * @param reusePipeline for incremental training: the champion's fitted feature pipeline, to encode the new
 *                      data with instead of fitting a new one, when the data still fits it (null: fit one)
 * @param reuseVersion  the champion version that pipeline belongs to (for messages)
 */
public record FeaturesInput(String runId, PipelineSpec spec, SnapshotResult snapshot, ArtifactRef reusePipeline,
                            Integer reuseVersion) {
    public FeaturesInput(String runId, PipelineSpec spec, SnapshotResult snapshot) {
        this(runId, spec, snapshot, null, null);
    }
}
