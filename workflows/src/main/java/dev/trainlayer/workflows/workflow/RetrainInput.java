package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.spec.PipelineSpec;

/** Start one retrain run of {@code spec}. The spec is small (kilobytes); data stays in the store. */
public record RetrainInput(String runId, PipelineSpec spec, String requestedBy) {}
