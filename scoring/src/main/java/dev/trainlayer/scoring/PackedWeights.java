package dev.trainlayer.scoring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An optimized network's weights ({@code model.packed}): each tensor stored as compactly as its values allow. A tensor
 * with enough zeros (a pruned weight matrix) keeps a bitmask and its nonzero values only; with {@code int8}, each
 * weight matrix (2-D) keeps 8-bit integers and one float scale per row (per output unit), symmetric around zero.
 * Biases stay float32. Loading turns every tensor back into float32 — {@code q × scale} for quantized ones — so the
 * served network computes in float32 with exactly the weights measured at optimization time.
 *
 * <pre>
 * "TLPW" int version=1, int tensors; per tensor: UTF name, int dims, long[dims] shape, byte flags (1 sparse, 2 int8),
 *   [int8: float[rows] scales] [sparse: int nonzeros, byte[ceil(n/8)] mask, bit i of byte i/8 set = kept]
 *   values: (int8 ? byte : float)[kept]
 * </pre>
 */
public final class PackedWeights {
    private static final int MAGIC = 0x544C5057; // "TLPW"
    private static final int VERSION = 1;
    private static final int SPARSE = 1;
    private static final int INT8 = 2;

    private PackedWeights() {}

    /** A named tensor in row-major order. */
    public record Tensor(String name, long[] shape, float[] values) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape) + " but "
                        + values.length + " values");
            }
        }

        int rows() {
            return shape.length == 2 ? Math.max(1, (int) shape[0]) : 1;
        }
    }

    /**
     * Packs {@code tensors}; with {@code int8}, weight matrices are quantized (biases are not). Each tensor is stored
     * sparse when that takes fewer bytes.
     */
    public static byte[] pack(List<Tensor> tensors, boolean int8) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(tensors.size());
            for (Tensor t : tensors) {
                write(out, t, int8 && t.shape().length == 2);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Tensor t, boolean quantize) throws IOException {
        float[] v = t.values();
        int n = v.length;
        int nonzero = 0;
        for (float x : v) {
            if (x != 0f) {
                nonzero++;
            }
        }
        int valueBytes = quantize ? 1 : 4;
        boolean sparse = (long) (n + 7) / 8 + (long) nonzero * valueBytes + 4 < (long) n * valueBytes;
        out.writeUTF(t.name());
        out.writeInt(t.shape().length);
        for (long d : t.shape()) {
            out.writeLong(d);
        }
        out.writeByte((sparse ? SPARSE : 0) | (quantize ? INT8 : 0));
        float[] scales = null;
        if (quantize) {
            scales = scales(t);
            for (float s : scales) {
                out.writeFloat(s);
            }
        }
        if (sparse) {
            out.writeInt(nonzero);
            byte[] mask = new byte[(n + 7) / 8];
            for (int i = 0; i < n; i++) {
                if (v[i] != 0f) {
                    mask[i >>> 3] |= (byte) (1 << (i & 7));
                }
            }
            out.write(mask);
        }
        int cols = Math.max(1, n / t.rows());
        for (int i = 0; i < n; i++) {
            if (sparse && v[i] == 0f) {
                continue;
            }
            if (quantize) {
                out.writeByte(quantize(v[i], scales[i / cols]));
            } else {
                out.writeFloat(v[i]);
            }
        }
    }

    /** One scale per row: its largest magnitude over 127 (0 for a row of zeros). */
    static float[] scales(Tensor t) {
        int rows = t.rows();
        int cols = Math.max(1, t.values().length / rows);
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Math.abs(t.values()[r * cols + c]));
            }
            scales[r] = max / 127f;
        }
        return scales;
    }

    static int quantize(float value, float scale) {
        if (scale == 0f) {
            return 0;
        }
        return Math.max(-127, Math.min(127, Math.round(value / scale)));
    }

    /** The tensors, every value float32 again (quantized ones as {@code q × scale}). */
    public static List<Tensor> unpack(byte[] packed) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(packed))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a packed weights file (model.packed)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("packed weights version " + version + " is newer than this trainlayer reads ("
                        + VERSION + ")");
            }
            int count = in.readInt();
            List<Tensor> tensors = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                String name = in.readUTF();
                long[] shape = new long[in.readInt()];
                long n = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                    n *= shape[d];
                }
                if (n < 0 || n > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("tensor " + name + " is too large: " + Arrays.toString(shape));
                }
                int flags = in.readByte();
                boolean quantized = (flags & INT8) != 0;
                boolean sparse = (flags & SPARSE) != 0;
                int rows = shape.length == 2 ? Math.max(1, (int) shape[0]) : 1;
                float[] scales = null;
                if (quantized) {
                    scales = new float[rows];
                    for (int r = 0; r < rows; r++) {
                        scales[r] = in.readFloat();
                    }
                }
                byte[] mask = null;
                int kept = -1;
                if (sparse) {
                    kept = in.readInt();
                    mask = in.readNBytes((int) ((n + 7) / 8));
                    if (mask.length != (n + 7) / 8) {
                        throw new java.io.EOFException("the mask of " + name + " ends early");
                    }
                    int bits = 0;
                    for (byte b : mask) {
                        bits += Integer.bitCount(b & 0xFF);
                    }
                    if (bits != kept) {
                        throw new IllegalArgumentException("the mask of " + name + " keeps " + bits + " weights, its header says " + kept);
                    }
                }
                float[] values = new float[(int) n];
                int cols = (int) Math.max(1, n / rows);
                for (int i = 0; i < n; i++) {
                    if (mask != null && (mask[i >>> 3] & (1 << (i & 7))) == 0) {
                        continue;
                    }
                    values[i] = quantized ? in.readByte() * scales[i / cols] : in.readFloat();
                }
                tensors.add(new Tensor(name, shape, values));
            }
            return tensors;
        } catch (IOException e) {
            throw new IllegalArgumentException("packed weights are cut short: " + e.getMessage(), e);
        }
    }
}
