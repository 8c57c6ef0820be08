package dev.trainlayer.api;

/**
 * The run index entry written at start ({@code runs/{runId}/run.json}): how to find a run by its id alone.
 * {@code pipeline} and {@code model} are the spec's names; {@code project} owns the run (null in runs indexed
 * before projects existed, which belong to the {@code default} project).
 */
public record RunRecord(String runId, String workflowId, String pipeline, String model, String createdAt,
                        String idempotencyKey, String specHash, String project) {
    public String projectOrDefault() {
        return project == null ? dev.trainlayer.workflows.artifact.Projects.DEFAULT : project;
    }
}
