package dev.trainlayer.activities.notify;

import dev.trainlayer.workflows.activity.TrialAlert;

/**
 * Where a training trial sends the alerts it raises while it trains. Called from a side thread, never the
 * training one; an implementation must not throw and should return quickly (delivery happens elsewhere).
 */
public interface AlertSink {
    AlertSink NONE = (runId, trialId, alert) -> { };

    void trialAlert(String runId, String trialId, TrialAlert alert);
}
