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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A CSV table held in memory: a header and string rows. RFC 4180 quoting (quoted fields, doubled quotes,
 * embedded commas and line breaks), LF or CRLF line ends, an optional UTF-8 BOM.
 */
public final class Table {
    /** Spellings of "no value" found in real CSV exports. */
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?", "-");

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
        return value == null || MISSING.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    /** Parses a finite double, or returns NaN for a missing value; throws for anything else. */
    public static double parseNumber(String value) {
        if (isMissing(value)) {
            return Double.NaN;
        }
        double d = Double.parseDouble(value.trim());
        if (!Double.isFinite(d)) {
            throw new NumberFormatException("not finite: " + value);
        }
        return d;
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

    public Table select(int[] rowIndices) {
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
        CsvReader csv = new CsvReader(reader);
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
        List<String[]> rows = new ArrayList<>();
        List<String> fields;
        while ((fields = csv.next()) != null) {
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                continue;
            }
            if (fields.size() != header.size()) {
                throw new CsvFormatException("line " + csv.line() + " has " + fields.size() + " fields but the header has "
                        + header.size());
            }
            rows.add(fields.toArray(new String[0]));
        }
        return new Table(header, rows);
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

    private static final class CsvReader {
        private final Reader in;
        private int line = 0;
        private int pushback = -2;

        CsvReader(Reader in) {
            this.in = in;
        }

        int line() {
            return line;
        }

        private int read() throws IOException {
            if (pushback != -2) {
                int c = pushback;
                pushback = -2;
                return c;
            }
            return in.read();
        }

        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            line++;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
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
                c = read();
            }
        }
    }
}
