package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.workflow.TriggerConfig;

/**
 * One check of a pipeline's monitor: {@code registry} is the project-qualified model; new labels are counted after
 * {@code labelsAfterMillis} or after the feedback the champion was trained on, whichever is later; {@code activeRun} is
 * the workflow id of the last run the monitor started (to tell whether it still runs).
 */
public record MonitorCheckInput(String project, String pipeline, String registry, TriggerConfig config, String activeRun,
                                Long labelsAfterMillis, long nowMillis) {}
