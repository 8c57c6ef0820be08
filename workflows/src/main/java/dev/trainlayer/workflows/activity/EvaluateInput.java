package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.Task;

/** Score the challenger — and the champion when there is one — on the same frozen raw test rows. */
public record EvaluateInput(
        String runId,
        Task task,
        String target,
        ArtifactRef testRaw,
        ModelArtifacts challenger,
        ModelArtifacts champion) {}
