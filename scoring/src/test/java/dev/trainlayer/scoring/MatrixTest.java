package dev.trainlayer.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MatrixTest {
    @Test
    void appendKeepsBothMatricesRowsInOrder() {
        Matrix train = new Matrix(2, 3, new float[] {1, 2, 3, 4, 5, 6}, new float[] {0, 1});
        Matrix validation = new Matrix(1, 3, new float[] {7, 8, 9}, new float[] {1});
        Matrix both = train.append(validation);
        assertEquals(3, both.rows());
        assertEquals(3, both.cols());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, both.values());
        assertArrayEquals(new float[] {0, 1, 1}, both.labels());
        assertArrayEquals(both.toBytes(), Matrix.fromBytes(both.toBytes()).toBytes());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, train.values(), "the matrices appended stay as they were");
    }

    @Test
    void appendRefusesAnotherWidth() {
        Matrix a = new Matrix(1, 2, new float[] {1, 2}, new float[] {0});
        Matrix b = new Matrix(1, 3, new float[] {1, 2, 3}, new float[] {0});
        assertThrows(IllegalArgumentException.class, () -> a.append(b));
    }
}
