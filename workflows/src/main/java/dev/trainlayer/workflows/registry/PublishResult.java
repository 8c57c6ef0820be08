package dev.trainlayer.workflows.registry;

import dev.trainlayer.workflows.artifact.ArtifactRef;

public record PublishResult(ArtifactRef artifacts, ArtifactRef featurePipeline) {}
