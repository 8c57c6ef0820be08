package dev.trainlayer.activities.train;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machine's cores, divided among the trials training in this process at the moment: a lone trial (a final
 * training, an incremental run) gets every core, two get half each, and a worker with one training slot per core
 * gives each trial one thread instead of all of them. Trials re-read their share at every epoch or boosting round, so
 * a trial that started alone gives cores back when another starts. Results do not depend on the count: XGBoost's hist
 * trees and the MLP's PyTorch kernels give the same model on 1 or 2 threads ({@code ThreadCountInvarianceTest}).
 *
 * <p>{@code trainlayer.cores} (or {@code TRAINLAYER_CORES}) says how many cores to share (default: all the JVM sees);
 * {@code trainlayer.trial.threads} (or the older {@code trainlayer.xgboost.nthread}, or {@code TRAINLAYER_THREADS}) pins
 * every trial to that many threads instead, as the tests do on this shared machine.
 */
public final class CoreBudget {
    private static final AtomicInteger RUNNING = new AtomicInteger();

    private CoreBudget() {}

    /** The cores trials share. */
    public static int cores() {
        Integer configured = integer("trainlayer.cores", "TRAINLAYER_CORES");
        return Math.max(1, configured != null ? configured : Runtime.getRuntime().availableProcessors());
    }

    /** The pinned threads per trial, or null for a share of the cores. */
    static Integer pinned() {
        Integer trial = integer("trainlayer.trial.threads", "TRAINLAYER_THREADS");
        return trial != null ? trial : Integer.getInteger("trainlayer.xgboost.nthread");
    }

    private static Integer integer(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Trials training now in this process. */
    public static int running() {
        return RUNNING.get();
    }

    /** A training trial's claim on the cores, released when it ends. */
    public static Lease start() {
        RUNNING.incrementAndGet();
        return new Lease();
    }

    public static final class Lease implements AutoCloseable {
        private boolean closed;

        private Lease() {}

        /** This trial's threads now: the pinned count, or the cores divided by the trials running (at least 1). */
        public int threads() {
            Integer pinned = pinned();
            if (pinned != null) {
                return pinned;
            }
            return Math.max(1, cores() / Math.max(1, RUNNING.get()));
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                RUNNING.decrementAndGet();
            }
        }
    }
}
