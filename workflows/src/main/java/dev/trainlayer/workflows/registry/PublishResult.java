package dev.trainlayer.workflows.registry;

import dev.trainlayer.workflows.artifact.ArtifactRef;

/** Where a version's files went: its prefix, its feature pipeline, and its optimized model's prefix (null: none). */
public record PublishResult(ArtifactRef artifacts, ArtifactRef featurePipeline, ArtifactRef optimized) {
    public PublishResult(ArtifactRef artifacts, ArtifactRef featurePipeline) {
        this(artifacts, featurePipeline, null);
    }
}
