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

    /** {@link #parseNumber}'s value, or NaN where it has none: a missing value, or one that is not a finite number. */
    public static double numberOrNaN(String value) {
        try {
            return parseNumber(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
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
        return plainDecimal(value.toCharArray(), 0, value.length());
    }

    /** {@link #plainDecimal(String)} of {@code chars[from, to)}. */
    static double plainDecimal(char[] chars, int from, int to) {
        int i = from;
        int end = to;
        while (i < end && chars[i] <= ' ') {
            i++;
        }
        while (end > i && chars[end - 1] <= ' ') {
            end--;
        }
        boolean negative = false;
        if (i < end && (chars[i] == '-' || chars[i] == '+')) {
            negative = chars[i] == '-';
            i++;
        }
        long mantissa = 0;
        int start = i;
        while (i < end && chars[i] >= '0' && chars[i] <= '9') {
            mantissa = mantissa * 10 + (chars[i++] - '0');
        }
        int fraction = 0;
        if (i < end && chars[i] == '.') {
            int point = ++i;
            while (i < end && chars[i] >= '0' && chars[i] <= '9') {
                mantissa = mantissa * 10 + (chars[i++] - '0');
            }
            fraction = i - point;
            start++;
        }
        int digits = i - start;
        // Anything after the digits, no digits at all, or more than 15 (the mantissa may have overflowed: unused).
        if (i != end || digits == 0 || digits > 15) {
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

    /**
     * {@link #joinedBytes(int, char)} written into {@code into} from its start (packed rows allocate nothing): returns
     * the length, or minus the length needed when {@code into} is too short (its content is then unspecified).
     */
    public int joinedBytes(int r, char separator, byte[] into) {
        if (separator > 0x7f) {
            throw new IllegalArgumentException("the separator must be ASCII");
        }
        if (rows instanceof PackedRows packed) {
            return packed.joined(r, (byte) separator, into);
        }
        byte[] bytes = joinedBytes(r, separator);
        if (bytes.length > into.length) {
            return -bytes.length;
        }
        System.arraycopy(bytes, 0, into, 0, bytes.length);
        return bytes.length;
    }

    /** Cell {@code c} of row {@code r} (unpacking that cell alone when the rows are packed). */
    public String cell(int r, int c) {
        if (rows instanceof PackedRows packed) {
            return packed.cell(r, c);
        }
        return rows.get(r)[c];
    }

    /**
     * Column {@code c}'s cells, row by row: {@code cell(r, c)} for each row, where a packed table hands the same String
     * for repeats of a short value (a label column of a few classes decodes each class once).
     */
    public String[] cellsOf(int c) {
        String[] out = new String[size()];
        if (rows instanceof PackedRows packed) {
            PackedRows.Shared shared = new PackedRows.Shared();
            for (int r = 0; r < out.length; r++) {
                out[r] = packed.cell(r, c, shared);
            }
        } else {
            for (int r = 0; r < out.length; r++) {
                out[r] = rows.get(r)[c];
            }
        }
        return out;
    }

    /**
     * Cell {@code c} of row {@code r} as {@link #numberOrNaN} reads it; packed rows answer from the numbers parsed as
     * they were read (see {@link PackedRows}) when the column has only numbers and missing values.
     */
    public double number(int r, int c) {
        if (rows instanceof PackedRows packed && packed.numeric(c)) {
            return packed.number(r, c);
        }
        return numberOrNaN(cell(r, c));
    }

    /**
     * Column {@code c}'s values as {@link #numberOrNaN} reads them (NaN only where a value is missing), when the
     * table knows without reading its cells that every value is a number or missing; null otherwise.
     */
    public double[] numbers(int c) {
        if (!(rows instanceof PackedRows packed) || !packed.numeric(c)) {
            return null;
        }
        double[] out = new double[packed.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = packed.number(r, c);
        }
        return out;
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
        return readPacked(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), 1 << 16);
    }

    /** {@link #readPacked} with a given read buffer. The fields go from the reader's buffer to the packed bytes. */
    static Table readPacked(Reader reader, int bufferSize) throws IOException {
        return readPacked(reader, bufferSize, Runtime.getRuntime().maxMemory() / 4);
    }

    /** ... and at most {@code numberBudget} bytes of numbers kept beside the packed bytes (see {@link PackedRows}). */
    static Table readPacked(Reader reader, int bufferSize, long numberBudget) throws IOException {
        CsvReader csv = new CsvReader(reader, bufferSize);
        List<String> header = header(csv);
        PackedRows.Packer packer = new PackedRows.Packer(header.size(), numberBudget);
        while (csv.next(packer)) {
            boolean blank = packer.blank();
            if (!blank && packer.fields() != header.size()) {
                throw new CsvFormatException("line " + csv.line() + " has " + packer.fields() + " fields but the header has "
                        + header.size());
            }
            packer.end(!blank);
        }
        return new Table(header, packer.rows());
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
        List<String> header = header(csv);
        Consumer<String[]> rows = sink.apply(header);
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
        return header;
    }

    /**
     * A scan's consumer that needs only some cells as Strings. Before each cell it says how it wants that column's
     * cell ({@link #want}); a cell it does not want as a String is read and counted, never made into one. Whatever it
     * asks, the table is checked as {@link #scan(InputStream, Function)} checks it (blank lines, widths).
     */
    public interface Cells {
        /** The cell as a String. */
        byte STRING = 0;
        /** The cell's value as a number when it is a plain decimal ({@code [+-]digits[.digits]}), else as a String. */
        byte NUMBER = 1;
        /** Not needed. */
        byte SKIP = 2;

        /** How column {@code column}'s cell of the row being read is wanted. */
        byte want(int column);

        /** Whether the row being read is wanted whole, every cell as a String (then {@link #want} is not asked). */
        default boolean whole() {
            return false;
        }

        /**
         * One row, in header order: {@code cells[c]} the String, or null where the cell was skipped or read as
         * {@code numbers[c]}; {@code numbered[c]} says which. The arrays are reused from row to row.
         */
        void accept(String[] cells, double[] numbers, boolean[] numbered);
    }

    /** {@link #scan(InputStream, Function)} for a consumer that takes only the cells it needs (see {@link Cells}). */
    public static List<String> scanCells(InputStream in, Function<List<String>, Cells> sink) throws IOException {
        return scanCells(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), 1 << 16, sink);
    }

    /**
     * What {@link #scanCellsPacked} read: the header, and the rows as {@link #readPacked} reads them from the same
     * bytes, or null where they outgrew the budget; {@code bytes} about the heap they take.
     */
    public record Scanned(List<String> header, Table packed, long bytes) {}

    /**
     * {@link #scanCells(InputStream, Function)}, packing the rows as they go past into the table {@link #readPacked}
     * reads from the same bytes, while it takes at most {@code packBudget} bytes of heap (past that the packed rows are
     * dropped and the scan goes on as {@code scanCells}): one parse serves the consumer now and the passes over the
     * table later.
     */
    public static Scanned scanCellsPacked(InputStream in, Function<List<String>, Cells> sink, long packBudget)
            throws IOException {
        return scanCellsPacked(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), 1 << 16, sink,
                packBudget, Runtime.getRuntime().maxMemory() / 4);
    }

    static Scanned scanCellsPacked(Reader reader, int bufferSize, Function<List<String>, Cells> sink, long packBudget,
                                   long numberBudget) throws IOException {
        CsvReader csv = new CsvReader(reader, bufferSize);
        List<String> header = header(csv);
        Cells cells = sink.apply(header);
        RowCells row = new RowCells(cells, header.size());
        // A budget short of one full block packs nothing (it would be passed soon anyway).
        PackingToo both = new PackingToo(row, packBudget < PackedRows.BLOCK ? null
                : new PackedRows.Packer(header.size(), numberBudget));
        while (csv.next(both)) {
            boolean blank = row.fields == 1 && row.firstEmpty;
            if (!blank && row.fields != header.size()) {
                throw new CsvFormatException("line " + csv.line() + " has " + row.fields + " fields but the header has "
                        + header.size());
            }
            if (!blank) {
                cells.accept(row.cells, row.numbers, row.numbered);
            }
            row.start();
            if (both.packer != null) {
                both.packer.end(!blank);
                if (both.packer.bytes() > packBudget) {
                    both.packer = null;
                }
            }
        }
        return both.packer == null || both.packer.bytes() > packBudget ? new Scanned(header, null, 0)
                : new Scanned(header, new Table(header, both.packer.rows()), both.packer.bytes());
    }

    /** A record's fields to a scan's row and, until it is dropped, to a packer. */
    private static final class PackingToo implements FieldSink {
        final RowCells row;
        PackedRows.Packer packer;

        PackingToo(RowCells row, PackedRows.Packer packer) {
            this.row = row;
            this.packer = packer;
        }

        @Override
        public void plain(char[] buffer, int from, int to) {
            row.plain(buffer, from, to);
            if (packer != null) {
                // The field parsed once for both.
                packer.plain(buffer, from, to, row.parsed, row.parsedValue);
            }
        }

        @Override
        public void field(String value) {
            row.field(value);
            if (packer != null) {
                packer.field(value);
            }
        }
    }

    /**
     * Hands this table's rows to {@code sink} as {@link #scanCells(InputStream, Function)} hands them from the
     * table's CSV (a table already read, scanned again without its bytes): the same header, rows and String cells.
     * A {@link Cells#NUMBER} cell comes as its number whenever its text is a plain decimal, where the stream hands a
     * quoted one, or one across its read buffer's end, as its String (a consumer takes either, as it must from the
     * stream); a skipped cell is always null. Returns the header.
     */
    public List<String> scanCells(Function<List<String>, Cells> sink) {
        Cells cells = sink.apply(header);
        int width = header.size();
        String[] out = new String[width];
        double[] numbers = new double[width];
        boolean[] numbered = new boolean[width];
        byte[] wants = new byte[width];
        PackedRows packed = rows instanceof PackedRows p ? p : null;
        PackedRows.Shared shared = new PackedRows.Shared();
        for (int r = 0; r < rows.size(); r++) {
            boolean whole = cells.whole();
            int wanted = 0;
            for (int c = 0; c < width; c++) {
                wants[c] = whole ? Cells.STRING : cells.want(c);
                wanted += wants[c] == Cells.SKIP ? 0 : 1;
            }
            // A packed row is unpacked whole when most of it is wanted, else cell by cell.
            String[] row = packed == null || wanted > 4 ? rows.get(r) : null;
            for (int c = 0; c < width; c++) {
                numbered[c] = false;
                out[c] = null;
                if (wants[c] == Cells.SKIP) {
                    continue;
                }
                String value = row != null ? row[c] : packed.cell(r, c, shared);
                if (wants[c] == Cells.NUMBER) {
                    double v = plainDecimal(value);
                    if (!Double.isNaN(v)) {
                        numbers[c] = v;
                        numbered[c] = true;
                        continue;
                    }
                }
                out[c] = value;
            }
            cells.accept(out, numbers, numbered);
        }
        return header;
    }

    static List<String> scanCells(Reader reader, int bufferSize, Function<List<String>, Cells> sink) throws IOException {
        // The packing scan with no room to pack: the same rows to the consumer.
        return scanCellsPacked(reader, bufferSize, sink, 0, 0).header();
    }

    /** A row's fields as a {@link Cells} consumer wants them. */
    private static final class RowCells implements FieldSink {
        final Cells sink;
        final String[] cells;
        final double[] numbers;
        final boolean[] numbered;
        int fields;
        boolean firstEmpty;
        boolean whole;
        /** Whether the last plain field was parsed, and its {@link #plainDecimal} (for a packer beside this row). */
        boolean parsed;
        double parsedValue;

        RowCells(Cells sink, int width) {
            this.sink = sink;
            this.cells = new String[width];
            this.numbers = new double[width];
            this.numbered = new boolean[width];
            start();
        }

        void start() {
            fields = 0;
            whole = sink.whole();
        }

        @Override
        public void plain(char[] buffer, int from, int to) {
            int c = fields;
            if (c == 0) {
                firstEmpty = from == to;
            }
            fields++;
            parsed = false;
            if (c >= cells.length) {
                return;
            }
            byte want = whole ? Cells.STRING : sink.want(c);
            numbered[c] = false;
            cells[c] = null;
            if (want == Cells.NUMBER) {
                double v = plainDecimal(buffer, from, to);
                parsed = true;
                parsedValue = v;
                if (!Double.isNaN(v)) {
                    numbers[c] = v;
                    numbered[c] = true;
                    return;
                }
            }
            if (want != Cells.SKIP) {
                cells[c] = new String(buffer, from, to - from);
            }
        }

        @Override
        public void field(String value) {
            int c = fields;
            if (c == 0) {
                firstEmpty = value.isEmpty();
            }
            fields++;
            if (c < cells.length) {
                numbered[c] = false;
                cells[c] = value;
            }
        }
    }

    /** The first record as a header: a BOM dropped, names trimmed, none empty, none twice. */
    private static List<String> header(CsvReader csv) throws IOException {
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
        if (rows instanceof PackedRows packed) {
            // Straight from the packed bytes: the same bytes as the Strings written through the encoder.
            PackedRows.CsvBytes out = new PackedRows.CsvBytes();
            byte[] head = toCsvLine(header.toArray(new String[0]));
            out.write(head, 0, head.length);
            packed.writeCsv(out);
            return out.toByteArray();
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16)) {
            write(w);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] toCsvLine(String[] fields) {
        StringWriter w = new StringWriter();
        try {
            writeLine(w, fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
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

    /** Where the reader puts a record's fields, in order, as it finds them. */
    interface FieldSink {
        /** An unquoted field that lay inside the read buffer: {@code buffer[from, to)}, trimmed, valid until the next read. */
        void plain(char[] buffer, int from, int to);

        /** Any other field, as its value. */
        void field(String value);
    }

    /** The fields of a record as Strings. */
    private static final class FieldList implements FieldSink {
        final List<String> fields = new ArrayList<>();

        @Override
        public void plain(char[] buffer, int from, int to) {
            fields.add(new String(buffer, from, to - from));
        }

        @Override
        public void field(String value) {
            fields.add(value);
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
        /** The field being built character by character (reused from record to record). */
        private final StringBuilder field = new StringBuilder();

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
         * Hands {@code sink} the unquoted field that starts at the buffer's position, ends before a comma or line end
         * inside the buffer and holds no quote, trimmed, and leaves the position at its delimiter; false (nothing
         * consumed) when there is no such field.
         */
        private boolean plainField(FieldSink sink) {
            if (pushback != -2) {
                return false;
            }
            char[] chars = buffer;
            int stop = limit;
            int end = position;
            while (end < stop) {
                char ch = chars[end];
                // Digits, letters, '.', '-' and most text lie above ','; the four characters that end or quote a
                // field lie at or below it.
                if (ch <= ',') {
                    if (ch == ',' || ch == '\n' || ch == '\r') {
                        break;
                    }
                    if (ch == '"') {
                        return false;
                    }
                }
                end++;
            }
            if (end == stop) {
                return false;
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
            sink.plain(buffer, from, to);
            return true;
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

        /** The next record's fields as Strings; null at the end. */
        List<String> next() throws IOException {
            FieldList fields = new FieldList();
            return next(fields) ? fields.fields : null;
        }

        /** Hands the next record's fields to {@code sink}; false at the end (no record). */
        boolean next(FieldSink sink) throws IOException {
            if (peek() == -1) {
                return false;
            }
            line++;
            StringBuilder field = this.field;
            field.setLength(0);
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (!quoted && !wasQuoted && field.length() == 0) {
                    // At the start of a field: cut it from the buffer in one step when it is plain.
                    if (plainField(sink)) {
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
                        return true;
                    }
                }
                int c = read();
                if (c == -1) {
                    if (quoted) {
                        throw new CsvFormatException("line " + line + " has an unterminated quoted field");
                    }
                    sink.field(wasQuoted ? field.toString() : field.toString().trim());
                    return true;
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
                    sink.field(wasQuoted ? field.toString() : field.toString().trim());
                    field.setLength(0);
                    wasQuoted = false;
                } else if (ch == '\n' || ch == '\r') {
                    if (ch == '\r') {
                        int n = read();
                        if (n != '\n') {
                            pushback = n;
                        }
                    }
                    sink.field(wasQuoted ? field.toString() : field.toString().trim());
                    return true;
                } else {
                    field.append(ch);
                }
            }
        }
    }
}
