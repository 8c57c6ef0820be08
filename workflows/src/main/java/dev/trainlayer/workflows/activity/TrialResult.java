package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.ModelType;
import java.util.List;
import java.util.Map;

/**
 * What one trial produced. {@code objective} is the validation value of the run's metric.
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
        Map<String, String> environment) {

    public static final int MAX_CURVE_POINTS = 200;
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";

    /** The same result without its learning curve (kept in the store), for state that must stay small. */
    public TrialResult withoutCurve() {
        return new TrialResult(trialId, candidate, type, params, status, failure, objective, validationMetrics, epochs,
                bestEpoch, resumedFromEpoch, model, List.of(), durationMs, attempt, worker, device, environment);
    }

    public boolean completed() {
        return COMPLETED.equals(status);
    }

    public static TrialResult failed(String trialId, String candidate, ModelType type, Map<String, Object> params, String failure) {
        return new TrialResult(trialId, candidate, type, params, FAILED, failure, Double.NaN, Map.of(), 0, 0, 0,
                null, List.of(), 0, 0, null, null, Map.of());
    }
}
