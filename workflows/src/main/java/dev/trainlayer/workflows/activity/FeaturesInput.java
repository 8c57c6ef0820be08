package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.spec.PipelineSpec;

public record FeaturesInput(String runId, PipelineSpec spec, SnapshotResult snapshot) {}
