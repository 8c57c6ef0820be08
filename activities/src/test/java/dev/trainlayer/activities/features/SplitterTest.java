package dev.trainlayer.activities.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitterTest {
    static List<String> labels(int positives, int negatives) {
        List<String> out = new ArrayList<>();
        IntStream.range(0, positives).forEach(i -> out.add("pos"));
        IntStream.range(0, negatives).forEach(i -> out.add("neg"));
        return out;
    }

    static List<String> keys(int n, int offset) {
        return IntStream.range(offset, offset + n).mapToObj(i -> "row-" + i).toList();
    }

    static Set<String> testKeys(Splitter.Split s, List<String> keys) {
        return Arrays.stream(s.test()).mapToObj(keys::get).collect(Collectors.toSet());
    }

    @Test
    void rowsHashedInRangesAtOnceGetTheHashesOfOneByOne() {
        // Keys both as Strings and as bytes written into a buffer (as a packed table gives them), some longer than the
        // hash's first buffer.
        List<String> keys = IntStream.range(0, 3001).mapToObj(i -> "row-" + i + "x".repeat(i % 7 == 0 ? 1500 : i % 13)).toList();
        class Bytes extends java.util.AbstractList<String> implements Splitter.KeyBytes {
            @Override
            public String get(int i) {
                return keys.get(i);
            }

            @Override
            public int size() {
                return keys.size();
            }

            @Override
            public byte[] keyBytes(int row) {
                return keys.get(row).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        long[] oneByOne = Splitter.RowHash.order(5, keys, 1);
        for (int ranges : new int[] {2, 3, 8}) {
            assertArrayEquals(oneByOne, Splitter.RowHash.order(5, keys, ranges), ranges + " ranges");
            assertArrayEquals(oneByOne, Splitter.RowHash.order(5, new Bytes(), ranges), ranges + " ranges of key bytes");
        }
        assertEquals(keys.size(), Arrays.stream(oneByOne).distinct().count());
    }

    @Test
    void stratifiedSplitKeepsClassProportionsInEveryPart() {
        List<String> y = labels(100, 900);
        Splitter.Split s = Splitter.split(y, keys(1000, 0), 0.2, 0.1, true, 1);
        assertEquals(200, s.test().length);
        assertEquals(100, s.validation().length);
        assertEquals(20, Arrays.stream(s.test()).filter(i -> y.get(i).equals("pos")).count());
        assertEquals(10, Arrays.stream(s.validation()).filter(i -> y.get(i).equals("pos")).count());
        assertEquals(1000, IntStream.concat(IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())),
                Arrays.stream(s.test())).distinct().count(), "the parts are disjoint and cover every row");
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        List<String> y = labels(50, 50);
        List<String> k = keys(100, 0);
        assertArrayEquals(Splitter.split(y, k, 0.2, 0.2, true, 7).test(), Splitter.split(y, k, 0.2, 0.2, true, 7).test());
        assertTrue(!Arrays.equals(Splitter.split(y, k, 0.2, 0.2, true, 7).test(), Splitter.split(y, k, 0.2, 0.2, true, 8).test()));
    }

    @Test
    void rowOrderDoesNotMatter() {
        List<String> k = new ArrayList<>(keys(200, 0));
        List<String> y = Collections.nCopies(200, "a");
        Set<String> before = testKeys(Splitter.split(y, k, 0.2, 0.2, false, 5), k);
        Collections.shuffle(k, new Random(1));
        assertEquals(before, testKeys(Splitter.split(y, k, 0.2, 0.2, false, 5), k));
    }

    @Test
    void testRowsMostlyStayTestRowsWhenTheDataGrows() {
        List<String> old = keys(1000, 0);
        List<String> grown = new ArrayList<>(old);
        grown.addAll(keys(200, 1000));
        Set<String> before = testKeys(Splitter.split(Collections.nCopies(1000, "a"), old, 0.2, 0.15, false, 3), old);
        Set<String> after = testKeys(Splitter.split(Collections.nCopies(1200, "a"), grown, 0.2, 0.15, false, 3), grown);
        long kept = before.stream().filter(after::contains).count();
        // Only rows near the boundary may move; a shuffle of positions would keep about 20% of them.
        assertTrue(kept >= 0.9 * before.size(), kept + " of " + before.size() + " test rows kept");
    }

    @Test
    void aTinyClassKeepsATrainingRow() {
        List<String> y = labels(1, 99);
        Splitter.Split s = Splitter.split(y, keys(100, 0), 0.2, 0.2, true, 3);
        assertTrue(Arrays.stream(s.train()).anyMatch(i -> y.get(i).equals("pos")));
    }

    @Test
    void foldsAreStratifiedDisjointAndCoverThePoolOnly() {
        List<String> y = labels(50, 250);
        List<String> keys = keys(300, 0);
        Splitter.Split s = Splitter.split(y, keys, 0.2, 0.1, true, 3);
        int[] pool = IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())).sorted().toArray();
        int[][] folds = Splitter.folds(y, keys, pool, 5, true, 3);
        assertEquals(5, folds.length);
        assertArrayEquals(pool, Arrays.stream(folds).flatMapToInt(Arrays::stream).sorted().toArray(),
                "every pool row in exactly one fold, no test row in any");
        for (int[] fold : folds) {
            assertTrue(fold.length == pool.length / 5 || fold.length == pool.length / 5 + 1, "sizes within one row");
            long pos = Arrays.stream(fold).filter(i -> y.get(i).equals("pos")).count();
            assertTrue(pos == 8 || pos == 9, "each fold gets its share of the rare class: " + pos);
        }
        assertArrayEquals(folds[2], Splitter.folds(y, keys, pool, 5, true, 3)[2], "deterministic");
    }
}
