package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.ModelType;
import java.util.List;
import java.util.Map;

/**
 * What one trial produced. {@code objective} is the validation value of the run's metric (for a pruned
 * trial: its value where it stopped; with k-fold: the mean over folds, {@code objectiveStd} their sample
 * standard deviation and {@code foldObjectives} each fold's value). {@code failure} says why a trial did not
 * complete (failed or pruned), or, for a completed one, that the search's time budget stopped it early (the note
 * the trial table shows). {@code intermediate} holds the values at the check steps pruning uses.
 * {@code seed} is the trial's training seed.
 * {@code curve} is down-sampled to at most {@link #MAX_CURVE_POINTS}; the full curve is in the store.
 */
public record TrialResult(
        String trialId,
        String candidate,
        ModelType type,
        Map<String, Object> params,
        String status,
        String failure,
        double objective,
        Map<String, Double> validationMetrics,
        int epochs,
        int bestEpoch,
        int resumedFromEpoch,
        ArtifactRef model,
        List<EpochMetrics> curve,
        long durationMs,
        int attempt,
        String worker,
        String device,
        Map<String, String> environment,
        List<IntermediateValue> intermediate,
        Double objectiveStd,
        List<Double> foldObjectives,
        Long seed) {

    public static final int MAX_CURVE_POINTS = 200;
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
    public static final String PRUNED = "PRUNED";

    public TrialResult {
        intermediate = intermediate == null ? List.of() : List.copyOf(intermediate);
        foldObjectives = foldObjectives == null ? List.of() : List.copyOf(foldObjectives);
    }

    /** The same result without its learning curve (kept in the store), for state that must stay small. */
    /** The same result with another reason in {@code failure} (a trial stopped because its candidate was retired). */
    public TrialResult withFailure(String why) {
        return new TrialResult(trialId, candidate, type, params, status, why, objective, validationMetrics, epochs,
                bestEpoch, resumedFromEpoch, model, curve, durationMs, attempt, worker, device, environment, intermediate,
                objectiveStd, foldObjectives, seed);
    }

    public TrialResult withoutCurve() {
        return new TrialResult(trialId, candidate, type, params, status, failure, objective, validationMetrics, epochs,
                bestEpoch, resumedFromEpoch, model, List.of(), durationMs, attempt, worker, device, environment, intermediate,
                objectiveStd, foldObjectives, seed);
    }

    /** The same result with no validation value or metrics (a refit, which trained on the validation rows). */
    public TrialResult withoutValidation() {
        return new TrialResult(trialId, candidate, type, params, status, failure, Double.NaN, Map.of(), epochs, bestEpoch,
                resumedFromEpoch, model, curve, durationMs, attempt, worker, device, environment, List.of(), objectiveStd,
                foldObjectives, seed);
    }

    public boolean completed() {
        return COMPLETED.equals(status);
    }

    public boolean pruned() {
        return PRUNED.equals(status);
    }

    /** A trial the search stopped before it finished (its family retired): pruned, with no value. */
    public static TrialResult stopped(String trialId, String candidate, ModelType type, Map<String, Object> params, String why) {
        return new TrialResult(trialId, candidate, type, params, PRUNED, why, Double.NaN, Map.of(), 0, 0, 0,
                null, List.of(), 0, 0, null, null, Map.of(), List.of(), null, List.of(), null);
    }

    public static TrialResult failed(String trialId, String candidate, ModelType type, Map<String, Object> params, String failure) {
        return new TrialResult(trialId, candidate, type, params, FAILED, failure, Double.NaN, Map.of(), 0, 0, 0,
                null, List.of(), 0, 0, null, null, Map.of(), List.of(), null, List.of(), null);
    }
}
