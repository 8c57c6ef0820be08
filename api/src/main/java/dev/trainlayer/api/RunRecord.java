package dev.trainlayer.api;

/** The run index entry written at start ({@code runs/{runId}/run.json}): how to find a run by its id alone. */
public record RunRecord(String runId, String workflowId, String pipeline, String model, String createdAt,
                        String idempotencyKey, String specHash) {}
