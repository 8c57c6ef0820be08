package dev.trainlayer.activities;

import io.temporal.activity.ActivityExecutionContext;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats an activity every few seconds from a side thread while its body runs, so the activity can
 * have a short heartbeat timeout (30 s): a worker that dies mid-activity is noticed in seconds rather than at
 * the start-to-close timeout, however long one step of the body takes. Outside an activity it does nothing.
 */
public final class Liveness implements AutoCloseable {
    public static final long INTERVAL_SECONDS = 5;

    private final ScheduledExecutorService ticker;

    private Liveness(ActivityExecutionContext context) {
        if (context == null) {
            ticker = null;
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "activity-heartbeat");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> {
            try {
                context.heartbeat(null);
            } catch (RuntimeException e) {
                // cancelled or timed out: the body finds out at its own next heartbeat or completion
            }
        }, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /** Starts heartbeating for the current activity; close it when the body ends. */
    public static Liveness start() {
        Optional<ActivityExecutionContext> context = Heartbeats.context();
        return new Liveness(context.orElse(null));
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
