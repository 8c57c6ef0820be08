package dev.trainlayer.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.Optional;

/** Heartbeating that also works when an activity body is called directly (tools, benchmarks, unit tests). */
public final class Heartbeats {
    private Heartbeats() {}

    public static Optional<ActivityExecutionContext> context() {
        try {
            return Optional.of(Activity.getExecutionContext());
        } catch (IllegalStateException | NullPointerException e) {
            return Optional.empty();
        }
    }

    public static void beat(Object details) {
        context().ifPresent(c -> c.heartbeat(details));
    }

    public static int attempt() {
        return context().map(c -> c.getInfo().getAttempt()).orElse(1);
    }
}
