package dev.trainlayer.activities.train;

import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The encoded matrices trials read, kept on a worker from one trial to the next by the sha256 their reference records
 * (a run's features are written once and never change), so a search's trials do not each download, check and decode the
 * same train and validation matrices: a million rows of 30 features is 120 MB a trial otherwise. Least recently used
 * matrices go first once the cached ones pass the byte budget; a matrix larger than the budget, or a reference without a
 * sha256, is loaded every time. Trials only read a matrix (a refit appends into a new one), so one instance serves all.
 */
final class MatrixCache {
    private final long budget;
    private final LinkedHashMap<String, Matrix> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** @param budget the bytes of matrix data (values and labels) kept at most */
    MatrixCache(long budget) {
        this.budget = budget;
    }

    /** The budget a worker gets: an eighth of its heap, or {@code trainlayer.matrixCache.bytes} (0 turns it off). */
    static MatrixCache forWorker() {
        return new MatrixCache(Long.getLong("trainlayer.matrixCache.bytes", Runtime.getRuntime().maxMemory() / 8));
    }

    /** The matrix {@code ref} names: the cached one, or what {@code load} gives (then cached when it fits). */
    Matrix get(ArtifactRef ref, Supplier<Matrix> load) {
        String key = ref.sha256();
        if (key == null || budget <= 0) {
            return load.get();
        }
        synchronized (this) {
            Matrix cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // Loaded outside the lock: two trials that start together may both load it; the second keeps the first's.
        Matrix loaded = load.get();
        long size = sizeOf(loaded);
        if (size > budget) {
            return loaded;
        }
        synchronized (this) {
            Matrix raced = entries.get(key);
            if (raced != null) {
                return raced;
            }
            entries.put(key, loaded);
            bytes += size;
            for (Iterator<Map.Entry<String, Matrix>> it = entries.entrySet().iterator(); bytes > budget && it.hasNext(); ) {
                Map.Entry<String, Matrix> oldest = it.next();
                if (oldest.getValue() != loaded) {
                    bytes -= sizeOf(oldest.getValue());
                    it.remove();
                }
            }
            return loaded;
        }
    }

    synchronized int size() {
        return entries.size();
    }

    static long sizeOf(Matrix m) {
        return 4L * (m.values().length + m.labels().length);
    }
}
