package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.spec.PipelineSpec;

/**
 * A run's index entry: the same fields the API records for the runs it starts ({@code runs/{runId}/index.json}
 * and the pipeline's run list), plus the spec, stored beside them. {@code pipeline} and {@code model} are the
 * spec's own names; {@code project} (null in runs from before projects) qualifies their keys.
 */
public record RunIndexInput(String runId, String workflowId, String pipeline, String model, String createdAt,
                            String specHash, PipelineSpec spec, String requestedBy, String project) {
    public RunIndexInput(String runId, String workflowId, String pipeline, String model, String createdAt,
                         String specHash, PipelineSpec spec, String requestedBy) {
        this(runId, workflowId, pipeline, model, createdAt, specHash, spec, requestedBy, null);
    }
}
