package dev.trainlayer.activities.train;

import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.workflow.Alerts;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognizes a trial going wrong from its curve so far. Pure: the same curve gives the same answer, so a
 * resumed attempt raises what the crashed one did and no more.
 */
final class Anomalies {
    private Anomalies() {}

    static final String NON_FINITE = "non-finite";
    static final String DIVERGENCE = "divergence";
    static final String PLATEAU = "plateau";

    /** What the latest point shows: a kind and a message, or nothing. */
    record Found(String kind, String message) {}

    static Optional<Found> check(List<EpochMetrics> curve, int patience) {
        if (curve.isEmpty()) {
            return Optional.empty();
        }
        EpochMetrics last = curve.get(curve.size() - 1);
        if (!Double.isFinite(last.trainLoss()) || !Double.isFinite(last.validationLoss())) {
            return Optional.of(new Found(NON_FINITE, String.format(Locale.ROOT,
                    "loss became non-finite at epoch %d (train %s, validation %s); lower the learning rate",
                    last.epoch(), last.trainLoss(), last.validationLoss())));
        }
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        for (EpochMetrics point : curve) {
            if (Double.isFinite(point.validationLoss()) && point.validationLoss() < best) {
                best = point.validationLoss();
                bestEpoch = point.epoch();
            }
        }
        if (curve.size() >= 3 && best > 0 && last.epoch() > bestEpoch && last.validationLoss() > Alerts.DIVERGENCE_FACTOR * best) {
            return Optional.of(new Found(DIVERGENCE, String.format(Locale.ROOT,
                    "validation loss %.4g at epoch %d is %.1f× its best %.4g (epoch %d): training diverges; lower the learning rate",
                    last.validationLoss(), last.epoch(), last.validationLoss() / best, best, bestEpoch)));
        }
        int flat = last.epoch() - bestEpoch;
        if (patience > 0 && bestEpoch > 0 && flat >= Alerts.PLATEAU_FACTOR * patience) {
            return Optional.of(new Found(PLATEAU, String.format(Locale.ROOT,
                    "no better validation loss for %d epochs (patience %d) since epoch %d", flat, patience, bestEpoch)));
        }
        return Optional.empty();
    }
}
