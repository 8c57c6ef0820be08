package dev.trainlayer.activities.train;

/**
 * A committed MLP checkpoint ({@code state.json} of an epoch): the trainer state and the keys of the
 * weights it refers to. Written after both weight objects, so a checkpoint never points at a missing file.
 */
public record MlpCheckpoint(String bucket, MlpTrainer.State state, String latestParameters, String bestParameters) {}
