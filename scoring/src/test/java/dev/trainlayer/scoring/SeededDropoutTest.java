package dev.trainlayer.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SeededDropoutTest {
    static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** The block's output on a matrix of ones, training: each element is 0 (dropped) or 1 / (1 - rate). */
    static float[] mask(SeededDropout dropout, int rows, int cols, boolean training) {
        float[] ones = new float[rows * cols];
        Arrays.fill(ones, 1f);
        NDList out = dropout.forward(new ParameterStore(manager, false),
                new NDList(manager.create(ones, new Shape(rows, cols))), training);
        return out.singletonOrThrow().toFloatArray();
    }

    @Test
    void theMaskDependsOnlyOnTheSeed() {
        SeededDropout a = new SeededDropout(0.3f);
        SeededDropout b = new SeededDropout(0.3f);
        a.reseed(42);
        float[] first = mask(a, 7, 13, true);
        mask(b, 7, 13, true);           // b draws something else first
        b.reseed(42);
        assertArrayEquals(first, mask(b, 7, 13, true));
        assertFalse(Arrays.equals(first, mask(a, 7, 13, true)), "the next batch without a reseed draws a new mask");
        a.reseed(43);
        assertFalse(Arrays.equals(first, mask(a, 7, 13, true)), "another seed, another mask");
    }

    @Test
    void dropsAboutTheRateAndScalesWhatItKeeps() {
        for (float rate : new float[] {0.1f, 0.5f, 0.9f}) {
            SeededDropout dropout = new SeededDropout(rate);
            dropout.reseed(7);
            float[] out = mask(dropout, 333, 301, true);   // an odd count: the last 64-bit draw decides one element
            float keep = 1f / (1f - rate);
            int dropped = 0;
            for (float v : out) {
                assertTrue(v == 0f || v == keep, "an element is dropped or scaled by 1 / (1 - rate), got " + v);
                dropped += v == 0f ? 1 : 0;
            }
            double fraction = (double) dropped / out.length;
            // 100,233 draws: the binomial's standard deviation is at most 0.0016, so 0.01 is over six of them.
            assertEquals(rate, fraction, 0.01, "fraction dropped at rate " + rate);
        }
    }

    @Test
    void neitherAtInferenceNorAtRateZero() {
        float[] ones = new float[12];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, mask(new SeededDropout(0.5f), 3, 4, false));
        assertArrayEquals(ones, mask(new SeededDropout(0f), 3, 4, true));
    }
}
