package dev.trainlayer.activities.train;

import dev.trainlayer.activities.Heartbeats;
import io.temporal.activity.ActivityExecutionContext;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a training activity's heartbeat alive between progress reports: every few seconds it re-sends the
 * last progress, so an epoch (or a boosting round) that takes longer than the heartbeat timeout is not
 * mistaken for a dead worker — and the timeout can stay short, which is how fast Temporal notices a worker
 * that really died. Progress itself is reported from the training thread ({@link #report}), where a
 * cancellation surfaces as an exception.
 */
final class ProgressTicker implements AutoCloseable {
    static final long INTERVAL_SECONDS = 5;

    private final Optional<ActivityExecutionContext> context = Heartbeats.context();
    private final ScheduledExecutorService ticker;
    private volatile TrialProgress latest;

    ProgressTicker(TrialProgress initial) {
        latest = initial;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trial-heartbeat");
            t.setDaemon(true);
            return t;
        });
        context.ifPresent(c -> ticker.scheduleAtFixedRate(() -> {
            try {
                c.heartbeat(latest);
            } catch (RuntimeException e) {
                // cancelled or timed out: the training thread learns it at its next report
            }
        }, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS));
    }

    /** Records progress and heartbeats it now (the SDK batches heartbeats; a cancellation throws here). */
    void report(TrialProgress progress) {
        latest = progress;
        Heartbeats.beat(progress);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
