package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MatrixCacheTest {
    static Matrix matrix(int rows) {
        return new Matrix(rows, 2, new float[rows * 2], new float[rows]);
    }

    static ArtifactRef ref(String sha) {
        return new ArtifactRef("trainlayer", "runs/r/features/" + sha + ".bin", sha, 0);
    }

    @Test
    void aMatrixIsLoadedOnceAndTheLeastRecentlyUsedGoFirst() {
        // 10 rows of 2 features and a label: 120 bytes a matrix; room for two
        MatrixCache cache = new MatrixCache(250);
        AtomicInteger loads = new AtomicInteger();
        Matrix a = cache.get(ref("a"), () -> {
            loads.incrementAndGet();
            return matrix(10);
        });
        assertSame(a, cache.get(ref("a"), () -> {
            loads.incrementAndGet();
            return matrix(10);
        }));
        assertEquals(1, loads.get(), "the second trial reads the first's matrix");
        Matrix b = cache.get(ref("b"), () -> matrix(10));
        cache.get(ref("a"), () -> matrix(10)); // a is now the most recently used
        cache.get(ref("c"), () -> matrix(10)); // over the budget: b goes
        assertEquals(2, cache.size());
        assertSame(a, cache.get(ref("a"), () -> matrix(10)));
        assertNotSame(b, cache.get(ref("b"), () -> matrix(10)), "b was evicted and is loaded again");
    }

    @Test
    void whatCannotBeKeptIsLoadedEveryTime() {
        MatrixCache cache = new MatrixCache(250);
        // larger than the budget
        Matrix big = cache.get(ref("big"), () -> matrix(100));
        assertNotSame(big, cache.get(ref("big"), () -> matrix(100)));
        // no recorded sha256: nothing to know it by
        ArtifactRef unnamed = new ArtifactRef("trainlayer", "k", null, 0);
        assertNotSame(cache.get(unnamed, () -> matrix(1)), cache.get(unnamed, () -> matrix(1)));
        // a budget of 0 turns the cache off
        MatrixCache off = new MatrixCache(0);
        assertNotSame(off.get(ref("a"), () -> matrix(1)), off.get(ref("a"), () -> matrix(1)));
        assertEquals(0, cache.size());
        assertEquals(0, off.size());
    }
}
