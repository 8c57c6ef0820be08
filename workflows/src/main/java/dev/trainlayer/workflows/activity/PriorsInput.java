package dev.trainlayer.workflows.activity;

/**
 * Find earlier runs' observations for a warm start: same pipeline, same search space ({@code spaceHash}) and
 * same encoded features ({@code schemaHash}); {@code runId} is the run asking, left out.
 */
public record PriorsInput(String pipeline, String runId, String spaceHash, String schemaHash) {}
