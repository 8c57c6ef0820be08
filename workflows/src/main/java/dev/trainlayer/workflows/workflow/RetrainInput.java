package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.spec.PipelineSpec;

/**
 * Start one retrain run of {@code spec} in {@code project} (its names, keys and workflow ids are the project's;
 * null only in runs started before projects existed). The spec is small (kilobytes); data stays in the store.
 * {@code trigger} is {@code monitor} for a run a pipeline's trigger started ({@code triggerReason} says which
 * condition held), null for runs started by a call or a schedule.
 */
public record RetrainInput(String runId, PipelineSpec spec, String requestedBy, String project, String trigger,
                           String triggerReason) {
    public static final String MONITOR = "monitor";

    public RetrainInput(String runId, PipelineSpec spec, String requestedBy, String project) {
        this(runId, spec, requestedBy, project, null, null);
    }

    public RetrainInput(String runId, PipelineSpec spec, String requestedBy) {
        this(runId, spec, requestedBy, null);
    }
}
