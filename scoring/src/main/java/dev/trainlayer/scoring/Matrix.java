package dev.trainlayer.scoring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An encoded split: a dense row-major float matrix and one label per row (class index, or the value
 * for regression). Stored as a small binary format: magic, rows, cols, then little-endian floats.
 */
public record Matrix(int rows, int cols, float[] values, float[] labels) {
    private static final int MAGIC = 0x544C4D31; // "TLM1"

    public Matrix {
        if (values.length != (long) rows * cols || labels.length != rows) {
            throw new IllegalArgumentException("matrix shape mismatch");
        }
    }

    public float get(int row, int col) {
        return values[row * cols + col];
    }

    /** This matrix's rows followed by {@code more}'s (same columns). */
    public Matrix append(Matrix more) {
        if (more.cols != cols) {
            throw new IllegalArgumentException("cannot append a matrix of " + more.cols + " columns to one of " + cols);
        }
        float[] v = java.util.Arrays.copyOf(values, values.length + more.values.length);
        System.arraycopy(more.values, 0, v, values.length, more.values.length);
        float[] l = java.util.Arrays.copyOf(labels, labels.length + more.labels.length);
        System.arraycopy(more.labels, 0, l, labels.length, more.labels.length);
        return new Matrix(rows + more.rows, cols, v, l);
    }

    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(12 + 4 * (values.length + labels.length)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(rows).putInt(cols);
        buf.asFloatBuffer().put(values).put(labels);
        return buf.array();
    }

    public static Matrix fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.getInt() != MAGIC) {
            throw new IllegalArgumentException("not an encoded matrix");
        }
        int rows = buf.getInt();
        int cols = buf.getInt();
        float[] values = new float[rows * cols];
        float[] labels = new float[rows];
        buf.asFloatBuffer().get(values).get(labels);
        return new Matrix(rows, cols, values, labels);
    }
}
