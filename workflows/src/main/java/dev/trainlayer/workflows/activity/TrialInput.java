package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.spec.ComputeSpec;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.Task;

/**
 * One training trial: a candidate with concrete params, trained on the train split and early-stopped
 * on the validation split. The same path serves fixed candidates and (later) search suggestions.
 */
public record TrialInput(
        String runId,
        String trialId,
        ModelCandidate candidate,
        Task task,
        Metric metric,
        FeaturesResult features,
        long seed,
        ComputeSpec.Device device) {}
