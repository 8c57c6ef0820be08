package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.spec.PipelineSpec;

/**
 * Start one retrain run of {@code spec} in {@code project} (its names, keys and workflow ids are the project's;
 * null only in runs started before projects existed). The spec is small (kilobytes); data stays in the store.
 * {@code trigger} is {@code monitor} for a run a pipeline's trigger started ({@code triggerReason} says which
 * condition held), null for runs started by a call or a schedule. {@code reproduce} makes the run a reproduction of a
 * registered version (see {@link Reproduction}): it trains that version's winning configuration on its stored snapshot,
 * compares, and registers nothing.
 */
public record RetrainInput(String runId, PipelineSpec spec, String requestedBy, String project, String trigger,
                           String triggerReason,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           Reproduction.Request reproduce) {
    public static final String MONITOR = "monitor";

    public RetrainInput(String runId, PipelineSpec spec, String requestedBy, String project, String trigger, String triggerReason) {
        this(runId, spec, requestedBy, project, trigger, triggerReason, null);
    }

    public RetrainInput(String runId, PipelineSpec spec, String requestedBy, String project) {
        this(runId, spec, requestedBy, project, null, null);
    }

    public RetrainInput(String runId, PipelineSpec spec, String requestedBy) {
        this(runId, spec, requestedBy, null);
    }
}
