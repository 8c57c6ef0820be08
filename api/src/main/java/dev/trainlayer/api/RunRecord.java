package dev.trainlayer.api;

/**
 * The run index entry written at start ({@code runs/{runId}/run.json}): how to find a run by its id alone.
 * {@code pipeline} and {@code model} are the spec's names; {@code project} owns the run (null in runs indexed
 * before projects existed, which belong to the {@code default} project). {@code reproduces} is the model version a
 * reproduction run rebuilds (null for every other run): such a run is no pipeline's latest spec, and its one trial
 * repeats a trial already in the pipeline's history.
 */
public record RunRecord(String runId, String workflowId, String pipeline, String model, String createdAt,
                        String idempotencyKey, String specHash, String project,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                        Integer reproduces) {
    public RunRecord(String runId, String workflowId, String pipeline, String model, String createdAt, String idempotencyKey,
                     String specHash, String project) {
        this(runId, workflowId, pipeline, model, createdAt, idempotencyKey, specHash, project, null);
    }

    public String projectOrDefault() {
        return project == null ? dev.trainlayer.workflows.artifact.Projects.DEFAULT : project;
    }
}
