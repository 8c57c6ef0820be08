package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import java.util.List;

/**
 * The fitted feature pipeline (fitted on the training rows only) and the encoded splits.
 * {@code testRaw} holds the frozen test rows as raw CSV so that any model — the champion with its own
 * fitted pipeline too — is scored on exactly the same rows. {@code folds} is empty unless the search
 * asked for k-fold cross-validation. {@code reuse} is set when an incremental run asked to reuse the
 * champion's pipeline (null otherwise).
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
        int testRows,
        List<FoldFeatures> folds,
        PipelineReuse reuse) {
    public FeaturesResult(ArtifactRef pipeline, ArtifactRef train, ArtifactRef validation, ArtifactRef testRaw, int featureCount,
                          List<String> featureNames, List<String> classes, int trainRows, int validationRows, int testRows,
                          List<FoldFeatures> folds) {
        this(pipeline, train, validation, testRaw, featureCount, featureNames, classes, trainRows, validationRows, testRows,
                folds, null);
    }

    public FeaturesResult {
        featureNames = List.copyOf(featureNames);
        classes = List.copyOf(classes);
        folds = folds == null ? List.of() : List.copyOf(folds);
    }

    /** The same features with {@code train}/{@code validation} pointing at one fold (what a fold trial trains on). */
    public FeaturesResult forFold(int fold) {
        FoldFeatures f = folds.get(fold);
        return new FeaturesResult(pipeline, f.train(), f.validation(), testRaw, featureCount, featureNames, classes,
                f.trainRows(), f.validationRows(), testRows, List.of(), reuse);
    }
}
