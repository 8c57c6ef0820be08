package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.spec.PipelineSpec;

/**
 * Validate a snapshot against the spec's rules; {@code championData} is the object key of the champion's training data
 * (for the drift rule), null when there is no champion or the run predates the rule.
 */
public record ValidateInput(String runId, PipelineSpec spec, SnapshotResult snapshot, String championData) {
    public ValidateInput(String runId, PipelineSpec spec, SnapshotResult snapshot) {
        this(runId, spec, snapshot, null);
    }
}
