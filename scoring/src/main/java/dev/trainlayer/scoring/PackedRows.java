package dev.trainlayer.scoring;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Consumer;

/**
 * A table's rows packed as UTF-8 bytes: each row's cells one after another, each behind its length, in large
 * blocks. A cell costs its bytes and one or two more, where a row of Strings costs some 50 bytes a cell more (a
 * million rows of 31 numbers: about 0.3 GB instead of 1.7 GB). {@link #get} unpacks a row into fresh Strings, so
 * read each row once per pass; {@link #select} views a subset without copying.
 */
final class PackedRows extends AbstractList<String[]> implements RandomAccess {
    private static final int BLOCK = 1 << 24;

    /** The bytes, shared by every selection of the same table. */
    private static final class Blocks implements Consumer<String[]> {
        final List<byte[]> blocks = new ArrayList<>();
        byte[] current = new byte[0];
        int used = 0;
        long[] starts = new long[1024];
        int rows = 0;
        final int width;

        Blocks(int width) {
            this.width = width;
        }

        @Override
        public void accept(String[] row) {
            int need = 0;
            byte[][] encoded = new byte[row.length][];
            for (int c = 0; c < row.length; c++) {
                encoded[c] = row[c].getBytes(StandardCharsets.UTF_8);
                need += encoded[c].length + 5;
            }
            if (used + need > current.length) {
                current = new byte[Math.max(BLOCK, need)];
                blocks.add(current);
                used = 0;
            }
            if (rows == starts.length) {
                starts = Arrays.copyOf(starts, rows * 2);
            }
            starts[rows++] = ((long) (blocks.size() - 1) << 32) | used;
            for (byte[] cell : encoded) {
                int n = cell.length;
                // The length as a base-128 varint, then the bytes.
                while (n >= 0x80) {
                    current[used++] = (byte) (n | 0x80);
                    n >>>= 7;
                }
                current[used++] = (byte) n;
                System.arraycopy(cell, 0, current, used, cell.length);
                used += cell.length;
            }
        }

        /** A row's cells' UTF-8 bytes with {@code separator} between them, straight from the packed bytes. */
        byte[] joined(int r, byte separator) {
            long start = starts[r];
            byte[] block = blocks.get((int) (start >>> 32));
            int at = (int) start;
            byte[] out = new byte[64];
            int size = 0;
            for (int c = 0; c < width; c++) {
                long cell = cell(block, at);
                int n = (int) (cell >>> 32);
                at = (int) cell;
                int need = size + n + 1;
                if (need > out.length) {
                    out = Arrays.copyOf(out, Math.max(need, out.length * 2));
                }
                if (c > 0) {
                    out[size++] = separator;
                }
                System.arraycopy(block, at, out, size, n);
                size += n;
                at += n;
            }
            return size == out.length ? out : Arrays.copyOf(out, size);
        }

        String[] row(int r) {
            long start = starts[r];
            byte[] block = blocks.get((int) (start >>> 32));
            int at = (int) start;
            String[] out = new String[width];
            for (int c = 0; c < width; c++) {
                long cell = cell(block, at);
                int n = (int) (cell >>> 32);
                at = (int) cell;
                out[c] = new String(block, at, n, StandardCharsets.UTF_8);
                at += n;
            }
            return out;
        }

        /** The cell whose length (a base-128 varint) starts at {@code at}: its length, then where its bytes start. */
        private static long cell(byte[] block, int at) {
            int n = 0;
            int shift = 0;
            byte b;
            do {
                b = block[at++];
                n |= (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            return ((long) n << 32) | at;
        }
    }

    private final Blocks blocks;
    /** Which packed rows this view holds, in order; null for all of them. */
    private final int[] index;

    private PackedRows(Blocks blocks, int[] index) {
        this.blocks = blocks;
        this.index = index;
    }

    /** A sink for {@link Table#scan} that packs each row, and the rows once the scan is done. */
    static final class Packer implements Consumer<String[]> {
        private final Blocks blocks;

        Packer(int width) {
            blocks = new Blocks(width);
        }

        @Override
        public void accept(String[] row) {
            blocks.accept(row);
        }

        PackedRows rows() {
            return new PackedRows(blocks, null);
        }
    }

    @Override
    public String[] get(int i) {
        return blocks.row(index == null ? i : index[i]);
    }

    @Override
    public int size() {
        return index == null ? blocks.rows : index.length;
    }

    /** Row {@code i}'s cells as UTF-8 with {@code separator} between them: {@code String.join} then encoding, without either. */
    byte[] joined(int i, byte separator) {
        return blocks.joined(index == null ? i : index[i], separator);
    }

    /** The rows at these positions of this view, sharing its bytes. */
    PackedRows select(int[] positions) {
        int[] chosen = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            chosen[i] = index == null ? positions[i] : index[positions[i]];
        }
        return new PackedRows(blocks, chosen);
    }
}
