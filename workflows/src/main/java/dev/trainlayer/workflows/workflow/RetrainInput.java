package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.spec.PipelineSpec;

/**
 * Start one retrain run of {@code spec} in {@code project} (its names, keys and workflow ids are the project's;
 * null only in runs started before projects existed). The spec is small (kilobytes); data stays in the store.
 */
public record RetrainInput(String runId, PipelineSpec spec, String requestedBy, String project) {
    public RetrainInput(String runId, PipelineSpec spec, String requestedBy) {
        this(runId, spec, requestedBy, null);
    }
}
