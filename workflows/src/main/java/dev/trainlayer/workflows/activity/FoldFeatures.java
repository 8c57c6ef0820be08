package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;

/**
 * One cross-validation fold: the training and validation rows (the test rows are never in a fold) encoded
 * by a feature pipeline fitted on this fold's training part only.
 */
public record FoldFeatures(int fold, ArtifactRef train, ArtifactRef validation, int trainRows, int validationRows) {}
