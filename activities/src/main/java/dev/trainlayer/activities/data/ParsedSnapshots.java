package dev.trainlayer.activities.data;

import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;

/**
 * Snapshots this worker parsed as it took them, kept in memory for the validation and features activities that read
 * the same snapshot next: a run's table is parsed once per worker instead of once per activity.
 *
 * <p>Nothing depends on a table being here. An activity that finds none (another worker took the snapshot, the worker
 * restarted, the entry expired, or the JVM needed the memory: entries are soft references) reads the snapshot from the
 * store as before, and the two give the same table: an entry is the parse of the very bytes stored under the
 * reference (same bucket, key and sha256, and the stored object still there at the same size), made by the same
 * reader. Entries are kept for {@link #KEEP_NANOS} at most and within a byte budget, half the heap unless
 * {@link #BUDGET_PROPERTY} says otherwise, which snapshots packing at the same time share with them (the oldest
 * entries go first; a snapshot granted too little packs nothing); the features activity releases its table when it
 * is done.
 */
final class ParsedSnapshots {
    /** The system property that sets the budget in bytes (0 turns keeping off); half the heap by default. */
    static final String BUDGET_PROPERTY = "trainlayer.parsedSnapshots.bytes";

    /** How long a table waits for the activities after its snapshot (validation, then features, come within seconds). */
    static final long KEEP_NANOS = 10L * 60 * 1_000_000_000L;

    private record Entry(String bucket, String key, String sha256, SoftReference<Table> table, long bytes, long keptAt) {}

    private final long budget;
    private final long keepNanos;
    private final Deque<Entry> entries = new ArrayDeque<>();
    /** Bytes granted to snapshots packing now. */
    private long reserved = 0;

    /** With the budget {@link #BUDGET_PROPERTY} sets. */
    static ParsedSnapshots configured() {
        return new ParsedSnapshots(Long.getLong(BUDGET_PROPERTY, Runtime.getRuntime().maxMemory() / 2));
    }

    /** @param budget the most bytes of heap the kept tables and the snapshots packing now take together */
    ParsedSnapshots(long budget) {
        this(budget, KEEP_NANOS);
    }

    ParsedSnapshots(long budget, long keepNanos) {
        this.budget = budget;
        this.keepNanos = keepNanos;
    }

    /**
     * The bytes a snapshot may pack now: the budget less what the kept tables and the other snapshots packing now take
     * (so two at once never pack more than the budget between them). Older tables go first to leave a new snapshot at
     * least half the budget (a snapshot being taken is likelier to be read next than one taken earlier). Give the
     * bytes back with {@link #release}, or keep the table through {@link #keep(ArtifactRef, Table, long, long)}.
     */
    synchronized long reserve() {
        purge();
        long kept = 0;
        for (Entry e : entries) {
            kept += e.bytes();
        }
        while (!entries.isEmpty() && kept + reserved > budget / 2) {
            kept -= entries.removeFirst().bytes();
        }
        long granted = Math.max(0, budget - kept - reserved);
        reserved += granted;
        return granted;
    }

    /** Ends a {@link #reserve}: its packed table, if any, is kept (or not) through {@link #keep}. */
    synchronized void release(long granted) {
        reserved -= granted;
    }

    /** Keeps {@code table}, the parse of the snapshot stored as {@code ref}, taking about {@code bytes} of heap. */
    synchronized void keep(ArtifactRef ref, Table table, long bytes) {
        keep(ref, table, bytes, 0);
    }

    /**
     * {@link #keep(ArtifactRef, Table, long)} of a table packed within {@code granted} bytes of a {@link #reserve}, which
     * this ends in the same step (the table's bytes are never counted neither as reserved nor as kept).
     */
    synchronized void keep(ArtifactRef ref, Table table, long bytes, long granted) {
        reserved -= granted;
        purge();
        if (ref.sha256() == null || bytes > budget) {
            return;
        }
        forget(ref);
        entries.addLast(new Entry(ref.bucket(), ref.key(), ref.sha256(), new SoftReference<>(table), bytes, System.nanoTime()));
        // The oldest go first, to make room for the snapshots packing now too; never the table just kept.
        long total = 0;
        for (Entry e : entries) {
            total += e.bytes();
        }
        while (total + reserved > budget && entries.size() > 1) {
            total -= entries.removeFirst().bytes();
        }
    }

    /** Drops expired entries and those whose table the JVM took back. */
    private void purge() {
        long now = System.nanoTime();
        entries.removeIf(e -> now - e.keptAt() > keepNanos || e.table().get() == null);
    }

    /** The table parsed from the snapshot stored as {@code ref}, or null where none is kept. */
    synchronized Table get(ArtifactRef ref) {
        purge();
        for (Entry e : entries) {
            if (matches(e, ref)) {
                return e.table().get();
            }
        }
        return null;
    }

    /** Drops the table of {@code ref}, if one is kept. */
    synchronized void forget(ArtifactRef ref) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            if (matches(it.next(), ref)) {
                it.remove();
            }
        }
    }

    /** How many tables are kept (for tests). */
    synchronized int size() {
        return entries.size();
    }

    private static boolean matches(Entry e, ArtifactRef ref) {
        return ref.sha256() != null && e.sha256().equals(ref.sha256()) && Objects.equals(e.key(), ref.key())
                && Objects.equals(e.bucket(), ref.bucket());
    }
}
