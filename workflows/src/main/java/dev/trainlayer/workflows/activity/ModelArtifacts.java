package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.ModelType;

/**
 * Enough to load a model and its fitted feature pipeline: a prefix holding model files, and the pipeline.
 * {@code optimized} says the prefix holds an optimized model's files (see {@code Optimization}; null or false: the
 * model as trained).
 */
public record ModelArtifacts(ModelType type, ArtifactRef model, ArtifactRef featurePipeline, Boolean optimized) {
    public ModelArtifacts(ModelType type, ArtifactRef model, ArtifactRef featurePipeline) {
        this(type, model, featurePipeline, null);
    }

    public static ModelArtifacts optimized(ModelType type, ArtifactRef model, ArtifactRef featurePipeline) {
        return new ModelArtifacts(type, model, featurePipeline, true);
    }

    /** Whether {@code model} holds an optimized model's files (not named as a getter: payloads carry {@code optimized} only). */
    public boolean hasOptimizedFiles() {
        return Boolean.TRUE.equals(optimized);
    }
}
