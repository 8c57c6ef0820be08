package dev.trainlayer.activities.train;

import dev.trainlayer.activities.Json;
import dev.trainlayer.activities.notify.AlertSink;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.activity.TrialAlert;
import dev.trainlayer.workflows.activity.TrialLive;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.workflow.Alerts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trial's live record ({@link TrialLive} at {@code Keys.trialLive}) and its anomaly alerts. The training
 * thread only appends to memory; a side thread writes the record about once a second and at once when an
 * alert is raised (and hands the alert to the {@link AlertSink}), so neither the store nor a webhook can slow
 * or fail training. Losing the record loses no work: results and checkpoints do not depend on it.
 */
final class LiveTrial implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveTrial.class);
    static final long FLUSH_MILLIS = 1000;

    private final ObjectStore store;
    private final String runId;
    private final String trialId;
    private final int attempt;
    private final int patience;
    private final boolean stopOnAnomaly;
    private final AlertSink sink;
    private final List<EpochMetrics> curve = new ArrayList<>();
    private final List<TrialAlert> alerts = new ArrayList<>();
    private final Set<String> raised = new LinkedHashSet<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trial-live");
        t.setDaemon(true);
        return t;
    });
    private Double value;
    private Double best;
    private int bestEpoch;
    private boolean dirty = true;
    private boolean warned;

    LiveTrial(ObjectStore store, String runId, String trialId, int attempt, int patience, boolean stopOnAnomaly, AlertSink sink,
              List<EpochMetrics> resumed) {
        this.store = store;
        this.runId = runId;
        this.trialId = trialId;
        this.attempt = attempt;
        this.patience = patience;
        this.stopOnAnomaly = stopOnAnomaly;
        this.sink = sink == null ? AlertSink.NONE : sink;
        if (resumed != null) {
            curve.addAll(resumed);
            // A resumed attempt has seen these epochs' anomalies raised already (same ids): re-raising is harmless.
        }
        writer.scheduleWithFixedDelay(this::flush, 0, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Records an epoch (or a round); {@code value}/{@code best} are the validation metric now and at the best
     * epoch, null where unknown. Returns why to stop the trial (an anomaly, when the spec asks to stop), or null.
     */
    String epoch(EpochMetrics point, Double value, Double best, int bestEpoch) {
        Anomalies.Found found;
        synchronized (this) {
            curve.add(point);
            this.value = finite(value);
            if (best != null) {
                this.best = finite(best);
            }
            this.bestEpoch = bestEpoch;
            dirty = true;
            found = Anomalies.check(curve, patience).filter(f -> !raised.contains(f.kind())).orElse(null);
        }
        if (found == null) {
            return null;
        }
        raise(found, point.epoch());
        boolean stop = stopOnAnomaly && !Anomalies.NON_FINITE.equals(found.kind());
        return stop ? "stopped: " + found.message() : null;
    }

    /** A loss that the trainer found non-finite before the epoch could be recorded (it then fails the trial). */
    void nonFinite(int epoch, String message) {
        synchronized (this) {
            if (raised.contains(Anomalies.NON_FINITE)) {
                return;
            }
        }
        raise(new Anomalies.Found(Anomalies.NON_FINITE, message), epoch);
    }

    private void raise(Anomalies.Found found, int epoch) {
        TrialAlert alert = new TrialAlert(runId + "/" + trialId + "/" + found.kind(), Alerts.TRIAL_ANOMALY, found.kind(), epoch,
                "trial " + trialId + ": " + found.message(), System.currentTimeMillis());
        synchronized (this) {
            raised.add(found.kind());
            alerts.add(alert);
            dirty = true;
        }
        log.warn("trial {} anomaly: {}", trialId, found.message());
        writer.execute(() -> {
            flush();
            try {
                sink.trialAlert(runId, trialId, alert);
            } catch (RuntimeException e) {
                log.warn("could not hand alert {} to the notifier: {}", alert.id(), e.toString());
            }
        });
    }

    private void flush() {
        write(false);
    }

    private void write(boolean done) {
        TrialLive snapshot;
        synchronized (this) {
            if (!dirty && !done) {
                return;
            }
            dirty = false;
            int epoch = curve.isEmpty() ? 0 : curve.get(curve.size() - 1).epoch();
            snapshot = new TrialLive(trialId, attempt, epoch, value, best, bestEpoch, List.copyOf(curve), List.copyOf(alerts),
                    System.currentTimeMillis(), done);
        }
        try {
            store.putBytes(Keys.trialLive(runId, trialId), Json.bytes(snapshot), "application/json");
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                log.warn("trial {}: could not write its live progress ({}); training goes on", trialId, e.toString());
            }
            synchronized (this) {
                dirty = true;
            }
        }
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    /** Writes the final record (done) and stops the side thread, after any alert still being handed over. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        write(true);
    }
}
