package dev.trainlayer.activities.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitterTest {
    static List<String> labels(int positives, int negatives) {
        List<String> out = new ArrayList<>();
        IntStream.range(0, positives).forEach(i -> out.add("pos"));
        IntStream.range(0, negatives).forEach(i -> out.add("neg"));
        return out;
    }

    @Test
    void stratifiedSplitKeepsClassProportionsInEveryPart() {
        List<String> y = labels(100, 900);
        Splitter.Split s = Splitter.split(y, 0.2, 0.1, true, 1);
        assertEquals(200, s.test().length);
        assertEquals(100, s.validation().length);
        assertEquals(20, Arrays.stream(s.test()).filter(i -> y.get(i).equals("pos")).count());
        assertEquals(10, Arrays.stream(s.validation()).filter(i -> y.get(i).equals("pos")).count());
        assertEquals(1000, s.train().length + s.validation().length + s.test().length);
        assertTrue(IntStream.concat(IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())),
                Arrays.stream(s.test())).distinct().count() == 1000, "the parts are disjoint");
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        List<String> y = labels(50, 50);
        assertArrayEquals(Splitter.split(y, 0.2, 0.2, true, 7).test(), Splitter.split(y, 0.2, 0.2, true, 7).test());
        assertTrue(!Arrays.equals(Splitter.split(y, 0.2, 0.2, true, 7).test(), Splitter.split(y, 0.2, 0.2, true, 8).test()));
    }

    @Test
    void aTinyClassKeepsATrainingRow() {
        List<String> y = labels(1, 99);
        Splitter.Split s = Splitter.split(y, 0.2, 0.2, true, 3);
        assertTrue(Arrays.stream(s.train()).anyMatch(i -> y.get(i).equals("pos")));
    }
}
