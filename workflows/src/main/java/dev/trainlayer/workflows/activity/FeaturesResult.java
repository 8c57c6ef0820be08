package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import java.util.List;

/**
 * The fitted feature pipeline (fitted on the training rows only) and the encoded splits.
 * {@code testRaw} holds the frozen test rows as raw CSV so that any model — the champion with its own
 * fitted pipeline too — is scored on exactly the same rows.
 */
public record FeaturesResult(
        ArtifactRef pipeline,
        ArtifactRef train,
        ArtifactRef validation,
        ArtifactRef testRaw,
        int featureCount,
        List<String> featureNames,
        List<String> classes,
        int trainRows,
        int validationRows,
        int testRows) {
    public FeaturesResult {
        featureNames = List.copyOf(featureNames);
        classes = List.copyOf(classes);
    }
}
