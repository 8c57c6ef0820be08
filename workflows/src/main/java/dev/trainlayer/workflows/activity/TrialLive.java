package dev.trainlayer.workflows.activity;

import java.util.List;

/**
 * A running trial as it trains, written by the training activity to {@code Keys.trialLive} about once a
 * second (and at once when it raises an alert): what the run views and the event stream show before the
 * trial's result exists. Never read back by training; losing it loses no work.
 *
 * @param epoch     the last epoch (or boosting round) done
 * @param value     the validation metric at that epoch (null where the trainer did not compute it)
 * @param best      the validation metric at the best epoch so far
 * @param curve     every epoch so far (an attempt that resumed from a checkpoint carries the earlier epochs)
 * @param alerts    anomalies seen so far, oldest first
 */
public record TrialLive(String trialId, int attempt, int epoch, Double value, Double best, int bestEpoch,
                        List<EpochMetrics> curve, List<TrialAlert> alerts, long updatedAtMillis, boolean done) {
    public TrialLive {
        curve = curve == null ? List.of() : List.copyOf(curve);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }
}
