package dev.trainlayer.activities.train;

import dev.trainlayer.workflows.client.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This worker's training meters, labelled by model family ({@code mlp}, {@code xgboost}, {@code linear},
 * {@code forest}): trials training now, trial durations by outcome, pruned trials, and training samples seen (one
 * per row per epoch or boosting round;
 * {@code rate(trainlayer_training_samples_total[1m])} is samples per second).
 */
final class TrialMeters {
    private static final MeterRegistry REGISTRY = Telemetry.registry();
    private static final Map<String, AtomicInteger> ACTIVE = new ConcurrentHashMap<>();

    private TrialMeters() {}

    /** A trial starts training; close the handle when it ends, however it ends. */
    static Active start(String family) {
        AtomicInteger active = ACTIVE.computeIfAbsent(family, f -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("trainlayer.trials.active", n, AtomicInteger::get).tag("family", f)
                    .description("trials training on this worker now").register(REGISTRY);
            return n;
        });
        active.incrementAndGet();
        pruned(family); // present (at 0) from the first trial on, so dashboards have a series to show
        return new Active(family, active, System.nanoTime());
    }

    private static Counter pruned(String family) {
        return Counter.builder("trainlayer.trials.pruned").tag("family", family)
                .description("trials stopped early by pruning or as anomalous").register(REGISTRY);
    }

    static void samples(String family, long rows) {
        Counter.builder("trainlayer.training.samples").tag("family", family)
                .description("training rows processed, once per epoch or boosting round").register(REGISTRY).increment(rows);
    }

    static final class Active implements AutoCloseable {
        private final String family;
        private final AtomicInteger active;
        private final long started;
        private String outcome = "failed";

        private Active(String family, AtomicInteger active, long started) {
            this.family = family;
            this.active = active;
            this.started = started;
        }

        /** How the trial ended: {@code completed} or {@code pruned}; left unset, it failed. */
        void outcome(String status) {
            this.outcome = status.toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public void close() {
            active.decrementAndGet();
            Timer.builder("trainlayer.trial.duration").tag("family", family).tag("status", outcome)
                    .description("trial attempts' training time").register(REGISTRY)
                    .record(Duration.ofNanos(System.nanoTime() - started));
            if ("pruned".equals(outcome)) {
                pruned(family).increment();
            }
        }
    }
}
