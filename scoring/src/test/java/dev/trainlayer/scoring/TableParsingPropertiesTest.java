package dev.trainlayer.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The fast paths of the CSV reader and the number parser against the plain implementations they replaced (kept
 * here as oracles): the same fields, the same values to the bit, the same refusals, whatever the text and wherever
 * the read buffer ends.
 */
class TableParsingPropertiesTest {
    private static final Set<String> MISSING = Table.MISSING;

    /** The number parser before the fast path: trim, lower-case, look up; then {@code Double.parseDouble}. */
    static double referenceParse(String value) {
        if (value == null || MISSING.contains(value.trim().toLowerCase(Locale.ROOT))) {
            return Double.NaN;
        }
        double d = Double.parseDouble(value.trim());
        if (!Double.isFinite(d)) {
            throw new NumberFormatException("not finite: " + value);
        }
        return d;
    }

    static String outcome(java.util.function.Supplier<Double> parse) {
        try {
            return "value " + Double.doubleToRawLongBits(parse.get());
        } catch (NumberFormatException e) {
            return "refused";
        }
    }

    @Provide
    Arbitrary<String> numberLike() {
        Arbitrary<String> decimals = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(20);
        return Arbitraries.oneOf(
                // sign, integer part, point, fraction, exponent or suffix, surrounding blanks: each optional
                net.jqwik.api.Combinators.combine(Arbitraries.of("", "+", "-", " ", "--"), decimals, Arbitraries.of("", ".", ",", ".."),
                        decimals, Arbitraries.of("", "e5", "E-3", "d", "f", "x", " ", "e400")).as((s, a, p, b, e) -> s + a + p + b + e),
                Arbitraries.strings().withChars("0123456789.-+eE naNull?/ \t").ofMaxLength(8),
                // the missing spellings in any case, with look-alikes that lower-case oddly (dotted and dotless i, Kelvin)
                Arbitraries.strings().withChars("nNaAuUlLoOeE/?-\u0130\u0131\u212a\u017f \t").ofMaxLength(6),
                Arbitraries.of("NaN", "Infinity", "-Infinity", "0x1p3", "1e308", "1e309", "4.9e-324", "2.2250738585072014E-308",
                        "9007199254740993", "999999999999999", "9999999999999999", "0.1", "-0", "-0.0", " N/A ", "None", "NULL",
                        "\u0130", "\u212a", "1_000", "١٢"));
    }

    @Property(tries = 3000)
    void numbersParseExactlyAsBefore(@ForAll("numberLike") String text) {
        assertEquals(outcome(() -> referenceParse(text)), outcome(() -> Table.parseNumber(text)), "'" + text + "'");
        assertEquals(MISSING.contains(text.trim().toLowerCase(Locale.ROOT)), Table.isMissing(text), "'" + text + "'");
    }

    @Property(tries = 2000)
    void randomDecimalsParseToTheSameBits(@ForAll double x, @ForAll @IntRange(min = 0, max = 17) int places) {
        if (!Double.isFinite(x)) {
            return;
        }
        String text = String.format(Locale.ROOT, "%." + places + "f", x);
        assertEquals(outcome(() -> referenceParse(text)), outcome(() -> Table.parseNumber(text)), text);
    }

    /** The character-by-character reader before the fast path (one field at a time through a StringBuilder). */
    static List<List<String>> referenceRead(String text) throws IOException {
        StringReader in = new StringReader(text);
        int[] pushback = {-2};
        java.util.function.IntSupplier read = () -> {
            if (pushback[0] != -2) {
                int c = pushback[0];
                pushback[0] = -2;
                return c;
            }
            try {
                return in.read();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        List<List<String>> lines = new ArrayList<>();
        while (true) {
            int c = read.getAsInt();
            if (c == -1) {
                return lines;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            boolean done = false;
            while (!done) {
                if (c == -1) {
                    if (quoted) {
                        throw new Table.CsvFormatException("unterminated");
                    }
                    fields.add(wasQuoted ? field.toString() : field.toString().trim());
                    break;
                }
                char ch = (char) c;
                if (quoted) {
                    if (ch == '"') {
                        int n = read.getAsInt();
                        if (n == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            pushback[0] = n;
                        }
                    } else {
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
                        int n = read.getAsInt();
                        if (n != '\n') {
                            pushback[0] = n;
                        }
                    }
                    fields.add(wasQuoted ? field.toString() : field.toString().trim());
                    done = true;
                } else {
                    field.append(ch);
                }
                if (!done) {
                    c = read.getAsInt();
                }
            }
            lines.add(fields);
        }
    }

    /** What Table.read makes of the lines the reference reader found: header checks, blank lines, widths. */
    static String expected(String text) {
        try {
            List<List<String>> lines = referenceRead(text);
            if (lines.isEmpty()) {
                return "refused";
            }
            List<String> header = new ArrayList<>(lines.get(0));
            if (header.isEmpty() || header.size() == 1 && header.get(0).isBlank()) {
                return "refused";
            }
            if (header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
            for (int i = 0; i < header.size(); i++) {
                header.set(i, header.get(i).trim());
                if (header.get(i).isEmpty()) {
                    return "refused";
                }
            }
            if (header.stream().distinct().count() != header.size()) {
                return "refused";
            }
            List<List<String>> rows = new ArrayList<>();
            for (List<String> fields : lines.subList(1, lines.size())) {
                if (fields.size() == 1 && fields.get(0).isEmpty()) {
                    continue;
                }
                if (fields.size() != header.size()) {
                    return "refused";
                }
                rows.add(fields);
            }
            return header + " " + rows;
        } catch (IOException e) {
            return "refused";
        }
    }

    interface Reading {
        Table read() throws IOException;
    }

    /** The table a reading gives, as text, or "refused". */
    static String shown(Reading reading) {
        try {
            Table table = reading.read();
            List<List<String>> rows = new ArrayList<>();
            table.rows().forEach(r -> rows.add(List.of(r)));
            return table.header() + " " + rows;
        } catch (IOException e) {
            return "refused";
        }
    }

    static String actual(String text, int bufferSize) {
        return shown(() -> Table.read(new StringReader(text), bufferSize));
    }

    @Provide
    Arbitrary<String> csvText() {
        return Arbitraries.strings().withChars("ab1.,\"\n\r \t").ofMaxLength(60).map(s -> "x,y\n" + s);
    }

    @Property(tries = 3000)
    void theReaderFindsTheSameFieldsAsBeforeWhereverTheBufferEnds(@ForAll("csvText") String text,
                                                                   @ForAll @IntRange(min = 1, max = 9) int bufferSize) {
        String expected = expected(text);
        assertEquals(expected, actual(text, bufferSize), "buffer " + bufferSize + ": " + text.replace("\n", "\\n").replace("\r", "\\r"));
        assertEquals(expected, actual(text, 1 << 16));
        assertEquals(expected, packed(text), "packed rows");
        assertEquals(expected, shown(() -> Table.readPacked(new StringReader(text), bufferSize)), "packed rows, buffer " + bufferSize);
    }

    /**
     * A scan that takes only some cells (each column's mode drawn per cell, some rows whole) sees the rows a full scan
     * sees: the same refusals, the same count, every String it asked for, and for a number it asked for either the
     * plain decimal's value or the String.
     */
    @Property(tries = 3000)
    void aScanOfSomeCellsSeesWhatAFullScanSees(@ForAll("csvCells") String text, @ForAll @IntRange(min = 1, max = 9) int bufferSize,
                                               @ForAll long seed) throws IOException {
        checkScan(text, seed, sink -> Table.scanCells(new StringReader(text), bufferSize, sink));
    }

    /**
     * The scan that packs the rows too sees what the plain scan sees, and packs the table reading packed gives; past
     * its budget it packs nothing and still scans. A table already read, packed or not, scanned again sees the same.
     */
    @Property(tries = 2000)
    void aScanThatPacksSeesTheSameAndPacksWhatReadingPackedGives(@ForAll("csvCells") String text,
                                                                 @ForAll @IntRange(min = 1, max = 9) int bufferSize,
                                                                 @ForAll long seed, @ForAll boolean roomy) throws IOException {
        Table.Scanned[] scanned = new Table.Scanned[1];
        checkScan(text, seed, sink -> {
            scanned[0] = Table.scanCellsPacked(new StringReader(text), bufferSize, sink, roomy ? Long.MAX_VALUE : 0, 1 << 20);
            return scanned[0].header();
        });
        if (scanned[0] != null) {
            if (roomy) {
                assertEquals(packed(text), shown(() -> scanned[0].packed()), "the scan's packed rows");
                for (int c = 0; c < scanned[0].header().size(); c++) {
                    Table read = Table.readPacked(new StringReader(text), bufferSize);
                    assertEquals(java.util.Arrays.toString(read.numbers(c)), java.util.Arrays.toString(scanned[0].packed().numbers(c)));
                }
            } else {
                assertEquals(null, scanned[0].packed(), "over its budget a scan packs nothing");
            }
        }
        if (!expected(text).equals("refused")) {
            Table packed = Table.readPacked(new StringReader(text), bufferSize);
            checkScan(text, seed, packed::scanCells);
            checkScan(text, seed, Table.read(new StringReader(text))::scanCells);
        }
    }

    /** A scan of {@code text}: the header it gives, or an IOException for a refused table. */
    interface Scanner {
        List<String> scan(java.util.function.Function<List<String>, Table.Cells> sink) throws IOException;
    }

    private static void checkScan(String text, long seed, Scanner scanner) throws IOException {
        String full = actual(text, 1 << 16);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<String> seen = new ArrayList<>();
        String result;
        try {
            List<String> header = scanner.scan(h -> new Table.Cells() {
                final byte[] asked = new byte[h.size()];
                boolean whole;

                @Override
                public boolean whole() {
                    whole = random.nextInt(5) == 0;
                    return whole;
                }

                @Override
                public byte want(int column) {
                    asked[column] = (byte) random.nextInt(3);
                    return asked[column];
                }

                @Override
                public void accept(String[] cells, double[] numbers, boolean[] numbered) {
                    List<String> row = new ArrayList<>();
                    for (int c = 0; c < cells.length; c++) {
                        byte mode = whole ? Table.Cells.STRING : asked[c];
                        if (numbered[c]) {
                            row.add(mode == Table.Cells.NUMBER ? "#" + Double.doubleToRawLongBits(numbers[c]) : "numbered unasked");
                        } else {
                            row.add(cells[c] == null ? (mode == Table.Cells.SKIP ? "~" : "missing") : cells[c]);
                        }
                    }
                    seen.add(row.toString());
                }
            });
            result = header + " " + seen.size();
        } catch (IOException e) {
            result = "refused";
        }
        if (full.equals("refused")) {
            assertEquals("refused", result);
            return;
        }
        Table table = Table.read(new StringReader(text));
        assertEquals(table.header() + " " + table.size(), result);
        for (int r = 0; r < table.size(); r++) {
            String[] expected = table.rows().get(r);
            String[] got = seen.get(r).substring(1, seen.get(r).length() - 1).split(", ", -1);
            for (int c = 0; c < expected.length; c++) {
                if (got[c].startsWith("#")) {
                    assertEquals(Table.numberOrNaN(expected[c]), Double.longBitsToDouble(Long.parseLong(got[c].substring(1))), "row " + r);
                } else if (!got[c].equals("~")) {
                    assertEquals(expected[c], got[c], "row " + r + " column " + c);
                }
            }
        }
    }

    @Provide
    Arbitrary<String> csvCells() {
        // Fields without ", " inside, so that a row's text splits back into its cells.
        return Arbitraries.strings().withChars("ab12.-,\"\n\r\t").ofMaxLength(60).map(s -> "x,y\n" + s);
    }

    static String packed(String text) {
        return shown(() -> Table.readPacked(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    /** The numbers a packed table parsed as it read its rows are each cell's {@link Table#numberOrNaN}, to the bit. */
    @Property(tries = 2000)
    void packedNumbersAreTheCellsNumbers(@ForAll("numberCells") List<String> cells, @ForAll @IntRange(min = 1, max = 9) int bufferSize)
            throws IOException {
        StringBuilder csv = new StringBuilder("a,b\n");
        for (int i = 0; i + 1 < cells.size(); i += 2) {
            csv.append(quoted(cells.get(i))).append(',').append(quoted(cells.get(i + 1))).append('\n');
        }
        Table plain = Table.read(new StringReader(csv.toString()));
        Table packed = Table.readPacked(new StringReader(csv.toString()), bufferSize);
        assertEquals(plain.size(), packed.size());
        for (int c = 0; c < 2; c++) {
            double[] numbers = packed.numbers(c);
            boolean text = false;
            for (int r = 0; r < plain.size(); r++) {
                String cell = plain.rows().get(r)[c];
                double expected = Table.numberOrNaN(cell);
                text |= Double.isNaN(expected) && !Table.isMissing(cell);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(packed.number(r, c)), "cell " + cell);
                if (numbers != null) {
                    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(numbers[r]), "cell " + cell);
                }
            }
            assertEquals(text, numbers == null, "a column holds numbers unless one of its values is text");
        }
    }

    /** Past its budget for numbers a packed table drops columns' numbers, and answers them by parsing, the same. */
    @Example
    void aPackedTableKeepsNumbersWithinItsBudget() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,c\n");
        for (int r = 0; r < 10_000; r++) {
            csv.append(r).append(',').append(r * 0.5).append(',').append(r % 7 == 0 ? "" : String.valueOf(-r)).append('\n');
        }
        // Room for three chunks of 4096 numbers: all three columns at first; then column a does not fit its second
        // chunk (dropped, its chunk freed), b does, c does not; then b takes its third.
        Table packed = Table.readPacked(new StringReader(csv.toString()), 1 << 16, 3 * 4096 * 8);
        Table plain = Table.read(new StringReader(csv.toString()));
        assertEquals(null, packed.numbers(0));
        assertEquals(10_000, packed.numbers(1).length);
        assertEquals(null, packed.numbers(2));
        for (int r = 0; r < plain.size(); r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(Double.doubleToRawLongBits(Table.numberOrNaN(plain.rows().get(r)[c])),
                        Double.doubleToRawLongBits(packed.number(r, c)), "row " + r + " column " + c);
            }
        }
        Table none = Table.readPacked(new StringReader(csv.toString()), 1 << 16, 0);
        assertEquals(null, none.numbers(1), "no budget, no numbers kept");
        assertEquals(2.5, none.number(5, 1));
    }

    private static String quoted(String cell) {
        return cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0
                ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    @Provide
    Arbitrary<List<String>> numberCells() {
        // Mostly numbers, sometimes a missing spelling or text, so that columns stay numeric as often as not.
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, numberLike().filter(v -> !Double.isNaN(safeParse(v)))),
                        net.jqwik.api.Tuple.of(1, numberLike()), net.jqwik.api.Tuple.of(1, Arbitraries.of("", "NA", " ? ", "None")))
                .list().ofMaxSize(40);
    }

    private static double safeParse(String v) {
        return Table.numberOrNaN(v);
    }

    @Example
    void packedRowsHoldAnyTextAndSelectLikeALists() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,c\n");
        for (int r = 0; r < 3000; r++) {
            // long cells (two-byte lengths), non-ASCII text, empty cells, quotes and line breaks
            csv.append(r).append(",\"").append("é\u4e2d\ud83d\ude00\"\"\n".repeat(r % 40)).append("\",").append(r % 7 == 0 ? "" : "x" + r).append('\n');
        }
        Table plain = Table.read(new StringReader(csv.toString()));
        Table packed = Table.readPacked(new java.io.ByteArrayInputStream(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(plain.size(), packed.size());
        for (int r = 0; r < plain.size(); r++) {
            assertEquals(List.of(plain.rows().get(r)), List.of(packed.rows().get(r)), "row " + r);
            byte[] key = plain.joinedBytes(r, '\u001f');
            assertEquals(java.util.Arrays.toString(key), java.util.Arrays.toString(packed.joinedBytes(r, '\u001f')),
                    "row " + r + "'s key bytes");
            // Into a buffer: too short (by one byte, or empty) answers the length needed; long enough holds the key.
            for (Table t : List.of(plain, packed)) {
                if (key.length > 0) {
                    assertEquals(-key.length, t.joinedBytes(r, '\u001f', new byte[key.length - 1]), "row " + r);
                }
                byte[] into = new byte[key.length + 3];
                assertEquals(key.length, t.joinedBytes(r, '\u001f', into), "row " + r);
                assertEquals(java.util.Arrays.toString(key), java.util.Arrays.toString(java.util.Arrays.copyOf(into, key.length)),
                        "row " + r + "'s key bytes in a buffer");
            }
        }
        int[] some = {2999, 0, 17, 17, 1500};
        int[] ofThose = {4, 1, 0};
        Table a = plain.select(some).select(ofThose);
        Table b = packed.select(some).select(ofThose);
        for (int r = 0; r < a.size(); r++) {
            assertEquals(List.of(a.rows().get(r)), List.of(b.rows().get(r)));
        }
        assertEquals(plain.toCsv(), new String(packed.toCsvBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Example
    void quotedFieldsAndLineEndsAcrossBuffers() {
        String text = "\uFEFFa, b ,c\r\n\"x,1\",  2 ,\"say \"\"hi\"\"\"\n\n 3,\"multi\nline\",\r4,5,6";
        for (int size = 1; size <= 12; size++) {
            assertEquals(expected(text), actual(text, size), "buffer " + size);
            int bufferSize = size;
            assertEquals(expected(text), shown(() -> Table.readPacked(new StringReader(text), bufferSize)), "packed, buffer " + size);
        }
        assertEquals("[a, b, c] [[x,1, 2, say \"hi\"], [3, multi\nline, ], [4, 5, 6]]", actual(text, 1 << 16));
    }
}
