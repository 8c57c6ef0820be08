package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.registry.ModelVersion;

/**
 * A batch scoring job: the CSV at {@code dataUri} scored with {@code version} of the model whose registry is
 * {@code registry} ({@code project/model}); predictions go to {@code outputKey} (CSV) and the prediction log part
 * {@code logKey}, ids {@code jobId.row}. Keys are fixed by the caller, so a retried job writes the same objects.
 */
public record BatchScoreInput(String project, String registry, String jobId, String dataUri, ModelVersion version,
                              String outputKey, String logKey) {}
