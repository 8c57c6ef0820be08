package dev.trainlayer.workflows.workflow;

import java.util.List;

/**
 * The events a webhook can subscribe to, and the thresholds behind the alerts among them. The names are a
 * contract: receivers and scripts match on them.
 */
public final class Alerts {
    private Alerts() {}

    public static final String RUN_SUCCEEDED = "run.succeeded";
    public static final String RUN_REJECTED = "run.rejected";
    public static final String RUN_FAILED = "run.failed";
    public static final String RUN_AWAITING_APPROVAL = "run.awaiting_approval";
    public static final String MODEL_PROMOTED = "model.promoted";
    public static final String MODEL_ROLLED_BACK = "model.rolled_back";
    /** A trial's loss became NaN or infinite, its validation loss ran far above its best, or it plateaued far past patience. */
    public static final String TRIAL_ANOMALY = "trial.anomaly";
    /** A trial took far longer than its peers. */
    public static final String TRIAL_SLOW = "trial.slow";
    /** Validation let the data through with warnings (drift, imbalance, nulls). */
    public static final String DATA_WARNING = "data.warning";

    /** A column of the champion's recent predictions or feedback drifted past the trigger's maxDrift. */
    public static final String MODEL_DRIFT = "model.drift";
    /** The champion's live metric fell below the trigger's minLiveMetric, or it was rolled back for it. */
    public static final String MODEL_DEGRADED = "model.degraded";
    /** A pipeline's trigger started a retrain run. */
    public static final String RUN_TRIGGERED = "run.triggered";

    public static final List<String> EVENTS = List.of(RUN_SUCCEEDED, RUN_REJECTED, RUN_FAILED, RUN_AWAITING_APPROVAL,
            MODEL_PROMOTED, MODEL_ROLLED_BACK, TRIAL_ANOMALY, TRIAL_SLOW, DATA_WARNING, MODEL_DRIFT, MODEL_DEGRADED, RUN_TRIGGERED);

    /** trial.slow: a completed trial that took more than this many times its family's median. */
    public static final double SLOW_FACTOR = 3.0;
    /** trial.anomaly (divergence): validation loss above this many times its best so far. */
    public static final double DIVERGENCE_FACTOR = 3.0;
    /** trial.anomaly (plateau): no improvement for this many times the trial's patience. */
    public static final int PLATEAU_FACTOR = 3;
}
