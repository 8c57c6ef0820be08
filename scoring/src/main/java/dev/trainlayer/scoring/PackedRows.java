package dev.trainlayer.scoring;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A table's rows packed as UTF-8 bytes: each row's cells one after another, each behind its length, in large
 * blocks. A cell costs its bytes and one or two more, where a row of Strings costs some 50 bytes a cell more (a
 * million rows of 31 numbers: about 0.3 GB instead of 1.7 GB). {@link #get} unpacks a row into fresh Strings, so
 * read each row once per pass; {@link #select} views a subset without copying.
 *
 * <p>Each column is also parsed once as the rows are packed, as {@link Table#numberOrNaN} reads a cell: while every
 * value it has seen is a number or missing, the column keeps the numbers (NaN where missing) in chunks of doubles, so
 * the passes that need numbers read them without unpacking or parsing a cell again. A column drops them, and is
 * parsed cell by cell on demand, from its first value that is neither, or when keeping them would pass the table's
 * budget for numbers (a quarter of the heap by default: a wide table keeps numbers for its first columns only, and
 * the rest cost what they cost before).
 */
final class PackedRows extends AbstractList<String[]> implements RandomAccess {
    /** The bytes of a block of rows, once the table is large (a row longer than that gets a block of its own). */
    static final int BLOCK = 1 << 24;
    /** The first block's bytes; each next one twice the last, up to {@link #BLOCK}. */
    static final int FIRST_BLOCK = 1 << 16;
    private static final int CHUNK_BITS = 12;
    private static final int CHUNK = 1 << CHUNK_BITS;

    /** The bytes, shared by every selection of the same table. */
    private static final class Blocks {
        final List<byte[]> blocks = new ArrayList<>();
        byte[] current = new byte[0];
        int used = 0;
        long[] starts = new long[1024];
        int rows = 0;
        final int width;
        /** Per column: its values as numbers in chunks of {@link #CHUNK} rows, or null once it has a value that is not one. */
        final double[][][] numbers;
        /** Chunks each column holds, and the bytes all of them hold, against {@link #budget}. */
        private final int[] chunks;
        private long numberBytes = 0;
        private final long budget;
        /** The bytes of every block made so far. */
        private long blockBytes = 0;

        Blocks(int width, long budget) {
            this.width = width;
            this.budget = budget;
            this.chunks = new int[width];
            this.numbers = new double[width][][];
            for (int c = 0; c < width; c++) {
                numbers[c] = new double[64][];
            }
        }

        /**
         * Appends a row: {@code length} bytes of cells (each a base-128 varint length, then its UTF-8 bytes) and each
         * cell's number ({@code numeric[c]} false where a cell is present but not a number).
         */
        void append(byte[] row, int length, double[] values, boolean[] numeric) {
            if (used + length > current.length) {
                // Blocks double from FIRST_BLOCK up to BLOCK: a small table takes little more than its bytes.
                int size = current.length == 0 ? FIRST_BLOCK : (int) Math.min(BLOCK, 2L * current.length);
                current = new byte[Math.max(size, length)];
                blocks.add(current);
                blockBytes += current.length;
                used = 0;
            }
            if (rows == starts.length) {
                starts = Arrays.copyOf(starts, rows * 2);
            }
            keepNumbers(values, numeric);
            starts[rows++] = ((long) (blocks.size() - 1) << 32) | used;
            System.arraycopy(row, 0, current, used, length);
            used += length;
        }

        /** About the heap the rows take: their blocks, their kept numbers and their starts. */
        long bytes() {
            return blockBytes + numberBytes + starts.length * 8L;
        }

        /** Keeps row {@link #rows}'s numbers in the columns that still hold numbers; drops a column at its first text. */
        private void keepNumbers(double[] values, boolean[] numeric) {
            int chunk = rows >>> CHUNK_BITS;
            int at = rows & (CHUNK - 1);
            for (int c = 0; c < width; c++) {
                double[][] column = numbers[c];
                if (column == null) {
                    continue;
                }
                if (!numeric[c] || at == 0 && numberBytes + CHUNK * 8L > budget) {
                    drop(c);
                    continue;
                }
                if (at == 0) {
                    if (chunk == column.length) {
                        column = numbers[c] = Arrays.copyOf(column, chunk * 2);
                    }
                    column[chunk] = new double[CHUNK];
                    chunks[c]++;
                    numberBytes += CHUNK * 8L;
                }
                column[chunk][at] = values[c];
            }
        }

        /** Column {@code c} no longer keeps numbers (it is parsed cell by cell when asked); its chunks are freed. */
        private void drop(int c) {
            numbers[c] = null;
            numberBytes -= chunks[c] * (CHUNK * 8L);
            chunks[c] = 0;
        }

        /** A row's cells' UTF-8 bytes with {@code separator} between them, straight from the packed bytes. */
        byte[] joined(int r, byte separator) {
            byte[] out = new byte[joinedLength(r)];
            joined(r, separator, out);
            return out;
        }

        /** How many bytes {@link #joined} gives for row {@code r}. */
        private int joinedLength(int r) {
            long start = starts[r];
            byte[] block = blocks.get((int) (start >>> 32));
            int at = (int) start;
            int size = width - 1;
            for (int c = 0; c < width; c++) {
                long cell = cell(block, at);
                int n = (int) (cell >>> 32);
                size += n;
                at = (int) cell + n;
            }
            return Math.max(0, size);
        }

        /**
         * {@link #joined} written into {@code into} from its start, in one pass and without allocating: returns the
         * length, or minus the length needed when {@code into} is too short (its content is then unspecified).
         */
        int joined(int r, byte separator, byte[] into) {
            long start = starts[r];
            byte[] block = blocks.get((int) (start >>> 32));
            int at = (int) start;
            int used = 0;
            for (int c = 0; c < width; c++) {
                long cell = cell(block, at);
                int n = (int) (cell >>> 32);
                at = (int) cell;
                if (used + n + (c > 0 ? 1 : 0) > into.length) {
                    return -joinedLength(r);
                }
                if (c > 0) {
                    into[used++] = separator;
                }
                if (n < 32) {
                    // Most cells are a few bytes: a plain loop beats arraycopy's set-up cost there.
                    for (int i = 0; i < n; i++) {
                        into[used + i] = block[at + i];
                    }
                } else {
                    System.arraycopy(block, at, into, used, n);
                }
                used += n;
                at += n;
            }
            return used;
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

        /** Cell {@code c} of row {@code r}, decoded alone. */
        String cell(int r, int c) {
            return cell(r, c, null);
        }

        /** ... a short cell seen before through {@code shared} given as the same String (null: a fresh one). */
        String cell(int r, int c, Shared shared) {
            long start = starts[r];
            byte[] block = blocks.get((int) (start >>> 32));
            int at = (int) start;
            for (int k = 0; ; k++) {
                long cell = cell(block, at);
                int n = (int) (cell >>> 32);
                at = (int) cell;
                if (k == c) {
                    return shared == null ? new String(block, at, n, StandardCharsets.UTF_8) : shared.decode(block, at, n);
                }
                at += n;
            }
        }

        /** Writes row {@code r} as a CSV line (as {@link Table#writeRow} writes its cells) from the packed bytes. */
        void writeCsv(int r, CsvBytes out) {
            long start = starts[r];
            byte[] block = blocks.get((int) (start >>> 32));
            int at = (int) start;
            for (int c = 0; c < width; c++) {
                long cell = cell(block, at);
                int n = (int) (cell >>> 32);
                at = (int) cell;
                if (c > 0) {
                    out.write((byte) ',');
                }
                boolean quote = false;
                for (int i = at; i < at + n && !quote; i++) {
                    byte b = block[i];
                    quote = b == ',' || b == '"' || b == '\n' || b == '\r';
                }
                if (quote) {
                    out.write((byte) '"');
                    for (int i = at; i < at + n; i++) {
                        if (block[i] == '"') {
                            out.write((byte) '"');
                        }
                        out.write(block[i]);
                    }
                    out.write((byte) '"');
                } else {
                    out.write(block, at, n);
                }
                at += n;
            }
            out.write((byte) '\n');
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

    /**
     * Takes the reader's fields (see {@link Table#readPacked}) straight into a row of packed bytes: an ASCII field is
     * copied from the read buffer and parsed there, without a String; any other field goes through its String.
     */
    static final class Packer implements Table.FieldSink {
        private final Blocks blocks;
        private final int width;
        private byte[] row = new byte[256];
        private int length = 0;
        private int fields = 0;
        private boolean firstEmpty = false;
        private final double[] values;
        private final boolean[] numeric;

        Packer(int width, long numberBudget) {
            this.blocks = new Blocks(width, numberBudget);
            this.width = width;
            this.values = new double[width];
            this.numeric = new boolean[width];
        }

        @Override
        public void plain(char[] buffer, int from, int to) {
            plain(buffer, from, to, false, 0);
        }

        /** {@link #plain(char[], int, int)} of a field whose {@link Table#plainDecimal} is {@code value} when {@code parsed}. */
        void plain(char[] buffer, int from, int to, boolean parsed, double value) {
            int n = to - from;
            room(n + 5);
            int start = length;
            int at = varint(n);
            // Copied as bytes in the same pass that finds whether every char is ASCII (else its String's UTF-8).
            int all = 0;
            for (int i = from; i < to; i++) {
                char ch = buffer[i];
                all |= ch;
                row[at++] = (byte) ch;
            }
            if (all >= 0x80) {
                length = start;
                field(new String(buffer, from, n));
                return;
            }
            length = at;
            if (fields < width && blocks.numbers[fields] != null) {
                // An empty field is missing (NaN, as plainDecimal answers); other non-decimals go through their text.
                double v = parsed ? value : Table.plainDecimal(buffer, from, to);
                if (Double.isNaN(v) && n > 0) {
                    number(new String(buffer, from, n));
                } else {
                    values[fields] = v;
                    numeric[fields] = true;
                }
            }
            ended(n == 0);
        }

        @Override
        public void field(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            room(bytes.length + 5);
            length = varint(bytes.length);
            System.arraycopy(bytes, 0, row, length, bytes.length);
            length += bytes.length;
            if (fields < width && blocks.numbers[fields] != null) {
                number(value);
            }
            ended(value.isEmpty());
        }

        /** Keeps the number of a field that is not a plain decimal, as {@link Table#numberOrNaN} reads it. */
        private void number(String value) {
            double v = Table.numberOrNaN(value);
            values[fields] = v;
            numeric[fields] = !Double.isNaN(v) || Table.isMissing(value);
        }

        private void ended(boolean empty) {
            if (fields == 0) {
                firstEmpty = empty;
            }
            fields++;
        }

        private void room(int more) {
            if (length + more > row.length) {
                row = Arrays.copyOf(row, Math.max(length + more, row.length * 2));
            }
        }

        /** Writes {@code n} as a base-128 varint at the row's end; returns the new end. */
        private int varint(int n) {
            int at = length;
            while (n >= 0x80) {
                row[at++] = (byte) (n | 0x80);
                n >>>= 7;
            }
            row[at++] = (byte) n;
            return at;
        }

        /** The fields of the record just read: how many. */
        int fields() {
            return fields;
        }

        /** Whether the record just read is a blank line (one empty field), which the table skips. */
        boolean blank() {
            return fields == 1 && firstEmpty;
        }

        /** Keeps the record just read as a row (its width checked by the caller), or drops it; then starts the next. */
        void end(boolean keep) {
            if (keep) {
                blocks.append(row, length, values, numeric);
            }
            length = 0;
            fields = 0;
        }

        PackedRows rows() {
            return new PackedRows(blocks, null);
        }

        /** About the heap the rows packed so far take: their bytes, kept numbers and index. */
        long bytes() {
            return blocks.bytes();
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

    /** {@link #joined} into {@code into}: the length, or minus the length needed when {@code into} is too short. */
    int joined(int i, byte separator, byte[] into) {
        return blocks.joined(index == null ? i : index[i], separator, into);
    }

    /** Cell {@code c} of row {@code i}. */
    String cell(int i, int c) {
        return blocks.cell(index == null ? i : index[i], c);
    }

    /** Cell {@code c} of row {@code i}, the same String for the same short cell through the same {@code shared}. */
    String cell(int i, int c, Shared shared) {
        return blocks.cell(index == null ? i : index[i], c, shared);
    }

    /**
     * Strings of short cells (up to 7 bytes: labels, codes, flags) decoded once and handed out again for the same
     * bytes, for a pass that reads one column of many rows: no String made and no UTF-8 decoded per row where the
     * column holds a few values. At most {@link #MAX} of them are kept.
     */
    static final class Shared {
        static final int MAX = 4096;
        private final java.util.HashMap<Long, String> strings = new java.util.HashMap<>();

        String decode(byte[] block, int at, int n) {
            if (n > 7) {
                return new String(block, at, n, StandardCharsets.UTF_8);
            }
            long key = 0;
            for (int i = 0; i < n; i++) {
                key = key << 8 | (block[at + i] & 0xff);
            }
            // The length in the top byte keeps "\0a" and "a" apart.
            key |= (long) n << 56;
            String known = strings.get(key);
            if (known == null) {
                known = new String(block, at, n, StandardCharsets.UTF_8);
                if (strings.size() < MAX) {
                    strings.put(key, known);
                }
            }
            return known;
        }
    }

    /** Whether column {@code c} holds only numbers and missing values, parsed as the rows were packed. */
    boolean numeric(int c) {
        return blocks.numbers[c] != null;
    }

    /** Cell {@code c} of row {@code i} as {@link Table#numberOrNaN} gives it, for a {@link #numeric} column. */
    double number(int i, int c) {
        int r = index == null ? i : index[i];
        return blocks.numbers[c][r >>> CHUNK_BITS][r & (CHUNK - 1)];
    }

    /** A growing byte array, unsynchronized (a ByteArrayOutputStream locks on every write). */
    static final class CsvBytes {
        byte[] bytes = new byte[1 << 16];
        int size = 0;

        void write(byte b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = b;
        }

        void write(byte[] from, int at, int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
            }
            System.arraycopy(from, at, bytes, size, n);
            size += n;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    /** The rows as CSV lines (no header), from the packed bytes. */
    void writeCsv(CsvBytes out) {
        for (int i = 0; i < size(); i++) {
            blocks.writeCsv(index == null ? i : index[i], out);
        }
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
