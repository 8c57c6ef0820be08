package dev.trainlayer.activities.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The split's primitive sort against the comparator it replaced (kept here as the oracle): rows by hash (signed),
 * then key, then position, whatever the input order and however many hashes are equal.
 */
class SplitterOrderPropertiesTest {
    @Property(tries = 500)
    void theMergeSortOrdersRowsAsTheComparatorDid(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = random.nextInt(200);
        // Few distinct hashes (so many runs of equal ones) and few distinct keys, signed both ways.
        int hashes = 1 + random.nextInt(size + 1);
        long[] order = new long[size];
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order[i] = random.nextBoolean() ? random.nextInt(hashes) - hashes / 2 : random.nextLong();
            keys.add("k" + random.nextInt(1 + random.nextInt(5)));
        }
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (random.nextInt(4) > 0) {
                rows.add(i);
            }
        }
        java.util.Collections.shuffle(rows, new java.util.Random(seed));
        int[] sorted = rows.stream().mapToInt(Integer::intValue).toArray();
        Splitter.sortByOrder(sorted, order, keys);

        List<Integer> expected = new ArrayList<>(rows);
        expected.sort(Comparator.<Integer>comparingLong(i -> order[i]).thenComparing(keys::get).thenComparingInt(i -> i));
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), sorted);
    }
}
