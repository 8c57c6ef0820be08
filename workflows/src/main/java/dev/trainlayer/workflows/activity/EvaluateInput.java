package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.Task;

/**
 * Score the challenger — and the champion when there is one — on the same frozen raw test rows; with
 * {@code significance}, also compare them row by row on {@code metric} (bootstrap seeded with {@code seed}).
 */
public record EvaluateInput(
        String runId,
        Task task,
        String target,
        ArtifactRef testRaw,
        ModelArtifacts challenger,
        ModelArtifacts champion,
        dev.trainlayer.workflows.spec.GatesSpec.Significance significance,
        dev.trainlayer.workflows.spec.Metric metric,
        Long seed) {

    public EvaluateInput(String runId, Task task, String target, ArtifactRef testRaw, ModelArtifacts challenger,
                         ModelArtifacts champion) {
        this(runId, task, target, testRaw, challenger, champion, null, null, null);
    }
}
