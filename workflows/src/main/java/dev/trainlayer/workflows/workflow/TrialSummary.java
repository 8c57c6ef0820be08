package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.spec.ModelType;
import java.util.Map;

/**
 * The part of a trial shown in run status; the ledger holds the rest. {@code failure}: why it failed or was pruned.
 * {@code live} is never set by the workflows: the API adds a running trial's progress from the store.
 */
public record TrialSummary(
        String trialId,
        String candidate,
        ModelType type,
        String status,
        Double objective,
        Map<String, Double> validationMetrics,
        int epochs,
        int bestEpoch,
        int resumedFromEpoch,
        long durationMs,
        int attempt,
        String device,
        String failure,
        Map<String, Object> params,
        Double objectiveStd,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        dev.trainlayer.workflows.activity.TrialLive live) {

    public TrialSummary(String trialId, String candidate, ModelType type, String status, Double objective,
                        Map<String, Double> validationMetrics, int epochs, int bestEpoch, int resumedFromEpoch, long durationMs,
                        int attempt, String device, String failure, Map<String, Object> params, Double objectiveStd) {
        this(trialId, candidate, type, status, objective, validationMetrics, epochs, bestEpoch, resumedFromEpoch, durationMs,
                attempt, device, failure, params, objectiveStd, null);
    }

    /** The same trial with its live progress (a running trial's epoch, values and curve so far). */
    public TrialSummary withLive(dev.trainlayer.workflows.activity.TrialLive progress) {
        return new TrialSummary(trialId, candidate, type, status, objective, validationMetrics,
                progress == null ? epochs : progress.epoch(), progress == null ? bestEpoch : progress.bestEpoch(),
                resumedFromEpoch, durationMs, progress == null ? attempt : progress.attempt(), device, failure, params, objectiveStd,
                progress);
    }

    public static TrialSummary of(TrialResult r) {
        return new TrialSummary(r.trialId(), r.candidate(), r.type(), r.status(),
                Double.isNaN(r.objective()) ? null : r.objective(), r.validationMetrics(), r.epochs(), r.bestEpoch(),
                r.resumedFromEpoch(), r.durationMs(), r.attempt(), r.device(), r.failure(), r.params(), r.objectiveStd());
    }

    public static TrialSummary running(String trialId, String candidate, ModelType type, Map<String, Object> params) {
        return new TrialSummary(trialId, candidate, type, "RUNNING", null, Map.of(), 0, 0, 0, 0, 0, null, null, params, null);
    }
}
