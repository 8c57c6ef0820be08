package dev.trainlayer.workflows.registry;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.Task;
import java.util.List;
import java.util.Map;

/**
 * Register a trained model as the next version. Idempotent per {@code runId}. {@code comparison} is its significance
 * test against {@code championVersion} on the run's test rows (for the model card), when the run made one. For the
 * model card too: {@code evidence} (the evaluation's intervals, per-class metrics, confusion matrix or residuals),
 * {@code gates} (the run's gate decisions) and {@code warnings} (what the run warned of); null from runs before them.
 * {@code optimization} is the run's optimized model (its files under a trial's {@code optimized/}), null when none.
 */
public record RegisterRequest(
        String model,
        String runId,
        Task task,
        ModelType type,
        Metric metric,
        Map<String, Double> metrics,
        List<String> classes,
        Lineage lineage,
        ArtifactRef trialModel,
        ArtifactRef featurePipeline,
        dev.trainlayer.workflows.activity.PairedComparison comparison,
        Integer championVersion,
        ArtifactRef evidence,
        List<dev.trainlayer.workflows.workflow.GateResult> gates,
        List<String> warnings,
        Optimization optimization) {

    public RegisterRequest(String model, String runId, Task task, ModelType type, Metric metric, Map<String, Double> metrics,
                           List<String> classes, Lineage lineage, ArtifactRef trialModel, ArtifactRef featurePipeline,
                           dev.trainlayer.workflows.activity.PairedComparison comparison, Integer championVersion,
                           ArtifactRef evidence, List<dev.trainlayer.workflows.workflow.GateResult> gates, List<String> warnings) {
        this(model, runId, task, type, metric, metrics, classes, lineage, trialModel, featurePipeline, comparison, championVersion,
                evidence, gates, warnings, null);
    }

    public RegisterRequest(String model, String runId, Task task, ModelType type, Metric metric, Map<String, Double> metrics,
                           List<String> classes, Lineage lineage, ArtifactRef trialModel, ArtifactRef featurePipeline,
                           dev.trainlayer.workflows.activity.PairedComparison comparison, Integer championVersion) {
        this(model, runId, task, type, metric, metrics, classes, lineage, trialModel, featurePipeline, comparison, championVersion,
                null, null, null, null);
    }

    public RegisterRequest(String model, String runId, Task task, ModelType type, Metric metric, Map<String, Double> metrics,
                           List<String> classes, Lineage lineage, ArtifactRef trialModel, ArtifactRef featurePipeline) {
        this(model, runId, task, type, metric, metrics, classes, lineage, trialModel, featurePipeline, null, null);
    }
}
