package dev.trainlayer.workflows.workflow;

/** Start (or continue) a pipeline's monitor: {@code registry} is the project-qualified model, {@code state} null at first. */
public record MonitorInput(String project, String pipeline, String registry, TriggerConfig config, MonitorState state) {}
