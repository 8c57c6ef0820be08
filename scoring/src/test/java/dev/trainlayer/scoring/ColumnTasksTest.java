package dev.trainlayer.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ColumnTasksTest {
    @Test
    void threadsAreBoundByCoresTasksAndAnEighthOfTheHeap() {
        assertEquals(16, ColumnTasks.threads(30, 1_000, 16, 8L << 30));
        assertEquals(4, ColumnTasks.threads(4, 1_000, 16, 8L << 30), "no more threads than tasks");
        // 5M rows x 32 bytes = 160 MB a task; an eighth of 1.5 GB holds one.
        assertEquals(1, ColumnTasks.threads(30, 160_000_000L, 16, 1536L << 20));
        assertEquals(3, ColumnTasks.threads(30, 160_000_000L, 16, 4L << 30));
    }

    @Test
    void everyTaskRunsOnceAndTheLowestFailureIsThrownAsItWas() {
        AtomicIntegerArray ran = new AtomicIntegerArray(64);
        IllegalArgumentException third = new IllegalArgumentException("column 3 is wrong");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> ColumnTasks.run(64, 8, true, i -> {
            ran.incrementAndGet(i);
            if (i == 3) {
                throw third;
            }
            if (i == 40) {
                throw new IllegalStateException("column 40");
            }
        }));
        assertSame(third, thrown, "the lowest-numbered task's own exception, whatever the timing");
        for (int i = 0; i < 64; i++) {
            assertEquals(1, ran.get(i), "task " + i);
        }
        int[] sequential = new int[64];
        ColumnTasks.run(64, 8, false, i -> sequential[i] = i * i);
        int[] parallel = new int[64];
        ColumnTasks.run(64, 8, true, i -> parallel[i] = i * i);
        assertEquals(java.util.Arrays.toString(sequential), java.util.Arrays.toString(parallel));
    }
}
