package dev.trainlayer.activities.features;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seeded train/validation/test split, stratified by label when asked: each class contributes its share
 * to every part, so rare classes appear in all three when they can.
 *
 * <p>Rows are ordered by a hash of (seed, row content) rather than by a shuffle of row positions. Two
 * properties follow that matter for retraining: when a dataset grows, rows that were test rows stay test
 * rows (only rows near a part's boundary can move), so a champion is rarely scored on rows it trained on;
 * and identical rows sort together, so duplicates seldom straddle train and test. The same rows and seed
 * always give the same split, whatever their order in the file.
 */
public final class Splitter {
    private Splitter() {}

    public record Split(int[] train, int[] validation, int[] test) {}

    /**
     * Row keys that can give each key's UTF-8 bytes without making the String (a list of keys that implements
     * this is hashed from those bytes; they must be {@code get(i).getBytes(UTF_8)}).
     */
    public interface KeyBytes {
        byte[] keyBytes(int row);

        /**
         * The key's bytes written into {@code into} from its start: their length, or minus the length needed when
         * {@code into} is too short. Override to hash a million keys without making a million arrays.
         */
        default int keyBytes(int row, byte[] into) {
            byte[] bytes = keyBytes(row);
            if (bytes.length > into.length) {
                return -bytes.length;
            }
            System.arraycopy(bytes, 0, into, 0, bytes.length);
            return bytes.length;
        }
    }

    /**
     * @param labels  the stratification key of each row (ignored unless {@code stratify})
     * @param rowKeys the content of each row (e.g. its fields joined); equal rows get equal keys
     */
    public static Split split(List<String> labels, List<String> rowKeys, double testFraction, double validationFraction,
                              boolean stratify, long seed) {
        long[] order = RowHash.order(seed, rowKeys);
        Map<String, Rows> groups = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            groups.computeIfAbsent(stratify ? labels.get(i) : "", k -> new Rows()).add(i);
        }
        Rows train = new Rows();
        Rows validation = new Rows();
        Rows test = new Rows();
        for (Rows rows : groups.values()) {
            int[] group = rows.toArray();
            sortByOrder(group, order, rowKeys);
            int n = group.length;
            int nTest = (int) Math.round(n * testFraction);
            int nVal = (int) Math.round(n * validationFraction);
            // Keep at least one training row per group: a class the model never trains on cannot be learned.
            while (nTest + nVal >= n && (nTest > 0 || nVal > 0)) {
                if (nVal >= nTest && nVal > 0) {
                    nVal--;
                } else {
                    nTest--;
                }
            }
            test.addAll(group, 0, nTest);
            validation.addAll(group, nTest, nTest + nVal);
            train.addAll(group, nTest + nVal, n);
        }
        return new Split(train.sorted(), validation.sorted(), test.sorted());
    }

    /**
     * Sorts rows by their hash, then their key, then their position: a stable merge sort
     * on the hashes keeps equal hashes in position order, and the rare runs of equal hashes are then ordered by key
     * (identical rows have equal keys and stay in position order).
     */
    static void sortByOrder(int[] rows, long[] order, List<String> rowKeys) {
        Arrays.sort(rows);
        int[] buffer = new int[rows.length];
        mergeSort(rows, buffer, 0, rows.length, order);
        for (int from = 0; from < rows.length; ) {
            int to = from + 1;
            while (to < rows.length && order[rows[to]] == order[rows[from]]) {
                to++;
            }
            if (to - from > 1) {
                Integer[] run = new Integer[to - from];
                for (int k = from; k < to; k++) {
                    run[k - from] = rows[k];
                }
                Arrays.sort(run, Comparator.<Integer, String>comparing(rowKeys::get).thenComparingInt(i -> i));
                for (int k = from; k < to; k++) {
                    rows[k] = run[k - from];
                }
            }
            from = to;
        }
    }

    /** Stable: sorts {@code rows[from, to)} by {@code order}, signed, as {@link Long#compare} orders them. */
    private static void mergeSort(int[] rows, int[] buffer, int from, int to, long[] order) {
        if (to - from < 2) {
            return;
        }
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int row = rows[i];
                long key = order[row];
                int j = i - 1;
                while (j >= from && order[rows[j]] > key) {
                    rows[j + 1] = rows[j];
                    j--;
                }
                rows[j + 1] = row;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(rows, buffer, from, mid, order);
        mergeSort(rows, buffer, mid, to, order);
        if (order[rows[mid - 1]] <= order[rows[mid]]) {
            return;
        }
        System.arraycopy(rows, from, buffer, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || i < mid && order[buffer[i]] <= order[buffer[j]]) {
                rows[k] = buffer[i++];
            } else {
                rows[k] = buffer[j++];
            }
        }
    }

    /** A growing list of row positions. */
    private static final class Rows {
        private int[] rows = new int[16];
        private int size = 0;

        void add(int row) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
            }
            rows[size++] = row;
        }

        void addAll(int[] from, int start, int end) {
            for (int k = start; k < end; k++) {
                add(from[k]);
            }
        }

        int[] toArray() {
            return Arrays.copyOf(rows, size);
        }

        int[] sorted() {
            int[] out = toArray();
            Arrays.sort(out);
            return out;
        }
    }

    /**
     * Assigns {@code rows} (indices into {@code labels}/{@code rowKeys}) to {@code k} folds: within each
     * stratum rows are ordered by the same content hash as the split and dealt out in turn, so every fold
     * gets its share of every class. Returns fold → sorted row indices.
     */
    public static int[][] folds(List<String> labels, List<String> rowKeys, int[] rows, int k, boolean stratify, long seed) {
        Map<String, Rows> groups = new TreeMap<>();
        for (int row : rows) {
            groups.computeIfAbsent(stratify ? labels.get(row) : "", g -> new Rows()).add(row);
        }
        Rows[] folds = new Rows[k];
        for (int f = 0; f < k; f++) {
            folds[f] = new Rows();
        }
        int next = 0;
        // A different seed from the split's, so fold order is not the split's boundary order.
        RowHash foldHash = new RowHash(seed * 31 + 17);
        long[] order = new long[rowKeys.size()];
        KeyBytes bytes = rowKeys instanceof KeyBytes kb ? kb : null;
        for (int row : rows) {
            order[row] = bytes != null ? foldHash.of(bytes, row) : foldHash.of(rowKeys.get(row));
        }
        for (Rows stratum : groups.values()) {
            int[] group = stratum.toArray();
            sortByOrder(group, order, rowKeys);
            for (int row : group) {
                folds[next].add(row);
                next = (next + 1) % k; // continue the rotation across strata so fold sizes stay within one row
            }
        }
        int[][] out = new int[k][];
        for (int f = 0; f < k; f++) {
            out[f] = folds[f].sorted();
        }
        return out;
    }

    /** The first 8 bytes of SHA-256(seed, 0, row key) as a long: one digest, and one key buffer, reused for every row. */
    static final class RowHash {
        private final MessageDigest sha;
        private final byte[] prefix;
        private final byte[] digest = new byte[32];
        private byte[] key = new byte[1024];

        RowHash(long seed) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            byte[] s = Long.toString(seed).getBytes(StandardCharsets.UTF_8);
            prefix = Arrays.copyOf(s, s.length + 1);
        }

        long of(String rowKey) {
            byte[] bytes = rowKey.getBytes(StandardCharsets.UTF_8);
            return of(bytes, bytes.length);
        }

        long of(KeyBytes keys, int row) {
            int n = keys.keyBytes(row, key);
            if (n < 0) {
                key = new byte[Math.max(-n, 2 * key.length)];
                n = keys.keyBytes(row, key);
            }
            return of(key, n);
        }

        private long of(byte[] rowKey, int length) {
            sha.update(prefix);
            sha.update(rowKey, 0, length);
            try {
                sha.digest(digest, 0, digest.length);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (digest[i] & 0xff);
            }
            return h;
        }

        /**
         * Every row's hash: a large table in a few ranges at once (the common pool's threads and this one), each range
         * with a digest of its own; the same longs as hashing row by row.
         */
        static long[] order(long seed, List<String> rowKeys) {
            return order(seed, rowKeys, rowKeys.size() < 50_000 ? 1
                    : Math.min(java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1, 8));
        }

        static long[] order(long seed, List<String> rowKeys, int ranges) {
            long[] out = new long[rowKeys.size()];
            KeyBytes bytes = rowKeys instanceof KeyBytes k ? k : null;
            int per = (out.length + ranges - 1) / Math.max(1, ranges);
            java.util.stream.IntStream.range(0, ranges).parallel().forEach(range -> {
                RowHash hash = new RowHash(seed);
                for (int i = range * per, end = Math.min(out.length, i + per); i < end; i++) {
                    out[i] = bytes != null ? hash.of(bytes, i) : hash.of(rowKeys.get(i));
                }
            });
            return out;
        }
    }

}
