package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.spec.ComputeSpec;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.OptimizeSpec;
import dev.trainlayer.workflows.spec.Task;
import java.util.Map;

/**
 * Optimize the run's challenger (see {@link OptimizeSpec}): the model trial {@code trialId} trained with {@code params}
 * and {@code seed}, whose files are at {@code model}. A pruned MLP is fine-tuned on the run's training rows and
 * early-stopped on its validation rows — or, for a {@code refit} (trained on the training and validation rows together),
 * on those rows for a fixed number of epochs; both models are scored on the frozen test rows. The optimized files go
 * under the trial's {@code optimized/}.
 */
public record OptimizeInput(
        String runId,
        String trialId,
        ModelArtifacts model,
        Map<String, Object> params,
        long seed,
        Task task,
        Metric metric,
        FeaturesResult features,
        OptimizeSpec optimize,
        ComputeSpec.Device device,
        Boolean refit) {

    public boolean refitted() {
        return Boolean.TRUE.equals(refit);
    }
}
