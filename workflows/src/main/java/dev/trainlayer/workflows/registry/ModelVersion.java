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
 * {@code optimization} is what its run's {@code optimize} step made of it (null: none asked for, or registered before
 * optimization existed); when it passed, {@link #serving()} is the optimized model under {@code optimized/}.
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
        long registeredAtMillis,
        Optimization optimization) {

    public ModelVersion(int version, String runId, Task task, ModelType type, Metric metric, Map<String, Double> metrics,
                        List<String> classes, Lineage lineage, ArtifactRef artifacts, ArtifactRef featurePipeline,
                        long registeredAtMillis) {
        this(version, runId, task, type, metric, metrics, classes, lineage, artifacts, featurePipeline, registeredAtMillis, null);
    }

    /** The model as trained: what incremental runs continue and reproductions compare with. */
    public dev.trainlayer.workflows.activity.ModelArtifacts trained() {
        return new dev.trainlayer.workflows.activity.ModelArtifacts(type, artifacts, featurePipeline);
    }

    /** The model scoring serves: the optimized one when its optimization passed, else the model as trained. */
    public dev.trainlayer.workflows.activity.ModelArtifacts serving() {
        return optimization != null && optimization.serves()
                ? dev.trainlayer.workflows.activity.ModelArtifacts.optimized(type, optimization.artifacts(), featurePipeline)
                : trained();
    }
}
