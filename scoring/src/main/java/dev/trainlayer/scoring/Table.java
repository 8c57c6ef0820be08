package dev.trainlayer.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A CSV table held in memory: a header and string rows. RFC 4180 quoting (quoted fields, doubled quotes,
 * embedded commas and line breaks), LF or CRLF line ends, an optional UTF-8 BOM.
 */
public final class Table {
    /** Spellings of "no value" found in real CSV exports (trimmed, any case; see {@link #isMissing}). */
    static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?", "-");

    private final List<String> header;
    private final List<String[]> rows;
    private final Map<String, Integer> index = new HashMap<>();

    public Table(List<String> header, List<String[]> rows) {
        this.header = List.copyOf(header);
        this.rows = rows;
        for (int i = 0; i < header.size(); i++) {
            index.put(header.get(i), i);
        }
    }

    public static boolean isMissing(String value) {
        if (value == null) {
            return true;
        }
        // The trimmed value against each spelling ignoring case, without a trimmed, lower-cased copy (this runs for
        // every cell). Equal to looking the copy up in MISSING: no character outside ASCII lower-cases to one of the
        // letters these spellings use (TableParsingPropertiesTest holds the two against each other).
        int from = 0;
        int to = value.length();
        while (from < to && value.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) <= ' ') {
            to--;
        }
        return switch (to - from) {
            case 0 -> true;
            case 1 -> value.charAt(from) == '?' || value.charAt(from) == '-';
            case 2 -> value.regionMatches(true, from, "na", 0, 2);
            case 3 -> value.regionMatches(true, from, "n/a", 0, 3) || value.regionMatches(true, from, "nan", 0, 3);
            case 4 -> value.regionMatches(true, from, "null", 0, 4) || value.regionMatches(true, from, "none", 0, 4);
            default -> false;
        };
    }

    /** Parses a finite double, or returns NaN for a missing value; throws for anything else. */
    public static double parseNumber(String value) {
        if (isMissing(value)) {
            return Double.NaN;
        }
        double d = plainDecimal(value);
        if (Double.isNaN(d)) {
            d = Double.parseDouble(value.trim());
        }
        if (!Double.isFinite(d)) {
            throw new NumberFormatException("not finite: " + value);
        }
        return d;
    }

    /** Powers of ten that a double holds exactly. */
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    /**
     * The value of a plain decimal ({@code [+-]digits[.digits]}, surrounding whitespace allowed) of at most 15 digits,
     * or NaN for anything else. Such a value is an integer below 2^53 divided by a power of ten up to 10^22, both
     * exact doubles, so the one correctly rounded division gives exactly what {@link Double#parseDouble} gives (the
     * fast path of Clinger's algorithm); anything else goes to {@code parseDouble}.
     */
    static double plainDecimal(String value) {
        int i = 0;
        int end = value.length();
        while (i < end && value.charAt(i) <= ' ') {
            i++;
        }
        while (end > i && value.charAt(end - 1) <= ' ') {
            end--;
        }
        boolean negative = false;
        if (i < end && (value.charAt(i) == '-' || value.charAt(i) == '+')) {
            negative = value.charAt(i) == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < end; i++) {
            char ch = value.charAt(i);
            if (ch >= '0' && ch <= '9') {
                if (++digits > 15) {
                    return Double.NaN;
                }
                mantissa = mantissa * 10 + (ch - '0');
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (ch == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        double d = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
        return negative ? -d : d;
    }

    public static boolean isNumber(String value) {
        try {
            parseNumber(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public List<String> header() {
        return header;
    }

    public List<String[]> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    public int column(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no column '" + name + "'");
        }
        return i;
    }

    public boolean hasColumn(String name) {
        return index.containsKey(name);
    }

    /** Row {@code r} as column → value (null where the row is short): the shape {@link Scorer#predict} takes. */
    public Map<String, Object> record(int r) {
        String[] cells = rows.get(r);
        Map<String, Object> out = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            out.put(header.get(c), c < cells.length ? cells[c] : null);
        }
        return out;
    }

    /**
     * Row {@code r}'s cells joined by {@code separator} (an ASCII character), as UTF-8: the bytes of
     * {@code String.join(separator, row).getBytes(UTF_8)}, taken from the packed bytes when the rows are packed.
     */
    public byte[] joinedBytes(int r, char separator) {
        if (separator > 0x7f) {
            throw new IllegalArgumentException("the separator must be ASCII");
        }
        if (rows instanceof PackedRows packed) {
            return packed.joined(r, (byte) separator);
        }
        return String.join(String.valueOf(separator), rows.get(r)).getBytes(StandardCharsets.UTF_8);
    }

    public Table select(int[] rowIndices) {
        if (rows instanceof PackedRows packed) {
            return new Table(header, packed.select(rowIndices));
        }
        List<String[]> selected = new ArrayList<>(rowIndices.length);
        for (int i : rowIndices) {
            selected.add(rows.get(i));
        }
        return new Table(header, selected);
    }

    public static Table read(InputStream in) throws IOException {
        return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16));
    }

    public static Table read(Reader reader) throws IOException {
        return read(reader, 1 << 16);
    }

    /**
     * Reads a table whose rows stay packed as UTF-8 bytes (see {@link PackedRows}): a fraction of the memory of
     * {@link #read}, with each {@code rows().get(r)} unpacking a fresh row. For large tables read in passes, row by
     * row; the cells are the same as {@code read} gives.
     */
    public static Table readPacked(InputStream in) throws IOException {
        PackedRows.Packer[] packer = new PackedRows.Packer[1];
        List<String> header = scan(in, h -> packer[0] = new PackedRows.Packer(h.size()));
        return new Table(header, packer[0].rows());
    }

    /** With a given read buffer (tests use tiny ones to put field boundaries at buffer boundaries). */
    static Table read(Reader reader, int bufferSize) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> header = scan(reader, bufferSize, h -> rows::add);
        return new Table(header, rows);
    }

    /**
     * Reads a table without holding it: the header (checked as {@link #read} checks it) goes to {@code sink}, which
     * answers where the rows go; each row is handed over as it is read (blank lines skipped, widths checked).
     * Returns the header.
     */
    public static List<String> scan(InputStream in, Function<List<String>, Consumer<String[]>> sink) throws IOException {
        return scan(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), 1 << 16, sink);
    }

    private static List<String> scan(Reader reader, int bufferSize, Function<List<String>, Consumer<String[]>> sink)
            throws IOException {
        CsvReader csv = new CsvReader(reader, bufferSize);
        List<String> header = csv.next();
        if (header == null || header.isEmpty() || header.size() == 1 && header.get(0).isBlank()) {
            throw new CsvFormatException("the file is empty: a header line and at least one row are expected");
        }
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            header.set(0, header.get(0).substring(1));
        }
        for (int i = 0; i < header.size(); i++) {
            header.set(i, header.get(i).trim());
            if (header.get(i).isEmpty()) {
                throw new CsvFormatException("header column " + (i + 1) + " has no name");
            }
        }
        if (header.stream().distinct().count() != header.size()) {
            throw new CsvFormatException("the header names a column twice: " + header);
        }
        Consumer<String[]> rows = sink.apply(List.copyOf(header));
        List<String> fields;
        while ((fields = csv.next()) != null) {
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                continue;
            }
            if (fields.size() != header.size()) {
                throw new CsvFormatException("line " + csv.line() + " has " + fields.size() + " fields but the header has "
                        + header.size());
            }
            rows.accept(fields.toArray(new String[0]));
        }
        return List.copyOf(header);
    }

    public void write(Writer out) throws IOException {
        writeLine(out, header.toArray(new String[0]));
        for (String[] row : rows) {
            writeLine(out, row);
        }
        out.flush();
    }

    /** One CSV line (quoted where a field needs it, ending in a newline). */
    public static void writeRow(Writer out, String[] fields) throws IOException {
        writeLine(out, fields);
    }

    /** The rows as CSV lines, without the header: for appending to a file that has one. */
    public void writeRows(Writer out) throws IOException {
        for (String[] row : rows) {
            writeLine(out, row);
        }
        out.flush();
    }

    /** The table as UTF-8 CSV bytes: {@link #toCsv}'s text, encoded as it is written. */
    public byte[] toCsvBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16)) {
            write(w);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public String toCsv() {
        StringWriter w = new StringWriter();
        try {
            write(w);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    private static void writeLine(Writer out, String[] fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            String f = fields[i] == null ? "" : fields[i];
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                out.write('"');
                out.write(f.replace("\"", "\"\""));
                out.write('"');
            } else {
                out.write(f);
            }
        }
        out.write('\n');
    }

    /** Thrown for input that is not a usable CSV table; the message says where and why. */
    public static final class CsvFormatException extends IOException {
        public CsvFormatException(String message) {
            super(message);
        }
    }

    /**
     * RFC 4180 fields from a character stream, read a buffer at a time. An unquoted field that lies inside the
     * buffer is cut from it in one step; anything else (quotes, a field across two buffers) goes character by
     * character through the same rules.
     */
    private static final class CsvReader {
        private final Reader in;
        private final char[] buffer;
        private int position = 0;
        private int limit = 0;
        private int line = 0;
        private int pushback = -2;

        CsvReader(Reader in, int bufferSize) {
            this.in = in;
            this.buffer = new char[bufferSize];
        }

        int line() {
            return line;
        }

        private int read() throws IOException {
            int c = peek();
            if (pushback != -2) {
                pushback = -2;
            } else if (c != -1) {
                position++;
            }
            return c;
        }

        /**
         * The unquoted field that starts at the buffer's position, ends before a comma or line end inside the buffer
         * and holds no quote, trimmed, with the position left at its delimiter; null (nothing consumed) otherwise.
         */
        private String plainField() {
            if (pushback != -2) {
                return null;
            }
            int end = position;
            while (end < limit) {
                char ch = buffer[end];
                if (ch == ',' || ch == '\n' || ch == '\r') {
                    break;
                }
                if (ch == '"') {
                    return null;
                }
                end++;
            }
            if (end == limit) {
                return null;
            }
            int from = position;
            int to = end;
            while (from < to && buffer[from] <= ' ') {
                from++;
            }
            while (to > from && buffer[to - 1] <= ' ') {
                to--;
            }
            position = end;
            return new String(buffer, from, to - from);
        }

        /** The next character without taking it; -1 at the end. */
        private int peek() throws IOException {
            if (pushback != -2) {
                return pushback;
            }
            if (position == limit) {
                int n = in.read(buffer, 0, buffer.length);
                if (n <= 0) {
                    return -1;
                }
                position = 0;
                limit = n;
            }
            return buffer[position];
        }

        List<String> next() throws IOException {
            if (peek() == -1) {
                return null;
            }
            line++;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (!quoted && !wasQuoted && field.length() == 0) {
                    // At the start of a field: cut it from the buffer in one step when it is plain.
                    String plain = plainField();
                    if (plain != null) {
                        fields.add(plain);
                        char delimiter = buffer[position++];
                        if (delimiter == ',') {
                            continue;
                        }
                        if (delimiter == '\r') {
                            int n = read();
                            if (n != '\n') {
                                pushback = n;
                            }
                        }
                        return fields;
                    }
                }
                int c = read();
                if (c == -1) {
                    if (quoted) {
                        throw new CsvFormatException("line " + line + " has an unterminated quoted field");
                    }
                    fields.add(wasQuoted ? field.toString() : field.toString().trim());
                    return fields;
                }
                char ch = (char) c;
                if (quoted) {
                    if (ch == '"') {
                        int n = read();
                        if (n == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            pushback = n;
                        }
                    } else {
                        if (ch == '\n') {
                            line++;
                        }
                        field.append(ch);
                    }
                } else if (ch == '"' && field.toString().isBlank()) {
                    quoted = true;
                    wasQuoted = true;
                    field.setLength(0);
                } else if (ch == ',') {
                    fields.add(wasQuoted ? field.toString() : field.toString().trim());
                    field.setLength(0);
                    wasQuoted = false;
                } else if (ch == '\n' || ch == '\r') {
                    if (ch == '\r') {
                        int n = read();
                        if (n != '\n') {
                            pushback = n;
                        }
                    }
                    fields.add(wasQuoted ? field.toString() : field.toString().trim());
                    return fields;
                } else {
                    field.append(ch);
                }
            }
        }
    }
}
