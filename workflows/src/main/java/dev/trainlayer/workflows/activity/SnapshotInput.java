package dev.trainlayer.workflows.activity;

/** Copy the source data at {@code uri} into the content-addressed dataset store under {@code dataset}. */
public record SnapshotInput(String runId, String dataset, String uri) {}
