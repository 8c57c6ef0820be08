package dev.trainlayer.workflows.registry;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.Task;
import java.util.List;
import java.util.Map;

/**
 * One registered, immutable model version. {@code artifacts} is the version's prefix under
 * {@code models/{model}/versions/{n}/}; {@code featurePipeline} is the fitted pipeline copied there.
 */
public record ModelVersion(
        int version,
        String runId,
        Task task,
        ModelType type,
        Metric metric,
        Map<String, Double> metrics,
        List<String> classes,
        Lineage lineage,
        ArtifactRef artifacts,
        ArtifactRef featurePipeline,
        long registeredAtMillis) {}
