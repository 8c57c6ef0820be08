package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.ModelType;

/** Enough to load a model and its fitted feature pipeline: a prefix holding model files, and the pipeline. */
public record ModelArtifacts(ModelType type, ArtifactRef model, ArtifactRef featurePipeline) {}
