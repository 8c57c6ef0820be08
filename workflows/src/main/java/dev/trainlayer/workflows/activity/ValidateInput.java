package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.spec.PipelineSpec;

public record ValidateInput(String runId, PipelineSpec spec, SnapshotResult snapshot) {}
