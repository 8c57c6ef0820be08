package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.spec.ComputeSpec;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.Task;

/**
 * One training trial: a candidate with concrete params, trained on the train split and early-stopped
 * on the validation split. The same path serves fixed candidates and search suggestions.
 *
 * @param pruning where to report intermediate values and when to stop early (null: record at default steps)
 * @param fold    with k-fold cross-validation, the fold this trial holds out (null: the usual split)
 * @param warmStart incremental training: the model to continue training (its weights or trees); its
 *                  features must be encoded with that model's pipeline (null: train from scratch)
 * @param stopOnAnomaly stop the trial (as pruned) when it diverges or plateaus, not only alert (null: only alert)
 * @param refitSteps a refit: train on the training and validation rows together for this many rounds (xgboost) or
 *                   epochs (mlp), with no early stopping or pruning; the result has no validation value of its own
 *                   (null: an ordinary trial)
 * @param deadlineMillis a search's time budget: at this time (epoch milliseconds) the trial stops training and
 *                       completes with its best model so far, as if stopped early (null: no deadline)
 */
public record TrialInput(
        String runId,
        String trialId,
        ModelCandidate candidate,
        Task task,
        Metric metric,
        FeaturesResult features,
        long seed,
        ComputeSpec.Device device,
        PruningPlan pruning,
        Integer fold,
        ModelArtifacts warmStart,
        Boolean stopOnAnomaly,
        Integer refitSteps,
        Long deadlineMillis) {

    public TrialInput(String runId, String trialId, ModelCandidate candidate, Task task, Metric metric,
                      FeaturesResult features, long seed, ComputeSpec.Device device, PruningPlan pruning, Integer fold,
                      ModelArtifacts warmStart, Boolean stopOnAnomaly, Integer refitSteps) {
        this(runId, trialId, candidate, task, metric, features, seed, device, pruning, fold, warmStart, stopOnAnomaly, refitSteps,
                null);
    }

    public TrialInput(String runId, String trialId, ModelCandidate candidate, Task task, Metric metric,
                      FeaturesResult features, long seed, ComputeSpec.Device device, PruningPlan pruning, Integer fold,
                      ModelArtifacts warmStart, Boolean stopOnAnomaly) {
        this(runId, trialId, candidate, task, metric, features, seed, device, pruning, fold, warmStart, stopOnAnomaly, null);
    }

    public TrialInput(String runId, String trialId, ModelCandidate candidate, Task task, Metric metric,
                      FeaturesResult features, long seed, ComputeSpec.Device device, PruningPlan pruning, Integer fold,
                      ModelArtifacts warmStart) {
        this(runId, trialId, candidate, task, metric, features, seed, device, pruning, fold, warmStart, null, null);
    }

    public TrialInput(String runId, String trialId, ModelCandidate candidate, Task task, Metric metric,
                      FeaturesResult features, long seed, ComputeSpec.Device device) {
        this(runId, trialId, candidate, task, metric, features, seed, device, null, null, null, null, null);
    }

    public TrialInput(String runId, String trialId, ModelCandidate candidate, Task task, Metric metric,
                      FeaturesResult features, long seed, ComputeSpec.Device device, PruningPlan pruning, Integer fold) {
        this(runId, trialId, candidate, task, metric, features, seed, device, pruning, fold, null, null);
    }
}
