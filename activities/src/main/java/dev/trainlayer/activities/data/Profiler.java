package dev.trainlayer.activities.data;

import dev.trainlayer.scoring.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Infers column types and summaries. A column is numeric when every non-missing value parses as a number.
 *
 * <p>Rows are taken one at a time ({@link #accept}), so a snapshot profiles its table as it reads it, without
 * holding it: the summaries are sums and counts in row order, the same whether the rows come from a stream or a
 * table in memory.
 */
public final class Profiler implements Table.Cells {
    static final int DISTINCT_CAP = 10_000;
    static final int TOP_VALUES = 20;

    private final List<String> header;
    private final Column[] columns;
    private long rows;

    public Profiler(List<String> header) {
        this.header = List.copyOf(header);
        columns = new Column[header.size()];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = new Column();
        }
    }

    /**
     * A column no longer counted and still numeric needs only its numbers: its plain decimals come parsed, without a
     * String (anything else comes as text, as before).
     */
    @Override
    public byte want(int column) {
        Column c = columns[column];
        return c.uncounted && c.numeric ? NUMBER : STRING;
    }

    /** One row, its cells in header order (as {@link Table#scanCells} hands them over). */
    @Override
    public void accept(String[] cells, double[] numbers, boolean[] numbered) {
        rows++;
        for (int c = 0; c < columns.length; c++) {
            if (numbered[c]) {
                columns[c].addNumber(numbers[c]);
            } else {
                columns[c].add(cells[c]);
            }
        }
    }

    /**
     * Whether a column needs its values counted again ({@link #recount}): it looked numeric past the cap on distinct
     * values, so its counts were no longer kept (a numeric column's profile needs only how many there are), and then
     * a value that is not a number made it categorical, whose most frequent values need the counts.
     */
    public boolean needsRecount() {
        for (Column c : columns) {
            if (c.recount) {
                return true;
            }
        }
        return false;
    }

    /** A second pass over the same rows, in the same order, that counts the values of the columns that need it. */
    public Consumer<String[]> recount() {
        for (Column c : columns) {
            if (c.recount) {
                c.counts.clear();
                c.capped = false;
            }
        }
        return row -> {
            for (int c = 0; c < columns.length; c++) {
                if (columns[c].recount && !Table.isMissing(row[c])) {
                    columns[c].count(row[c].trim());
                }
            }
        };
    }

    /** The rows taken so far. */
    public long rows() {
        return rows;
    }

    public List<ColumnProfile> profiles() {
        List<ColumnProfile> out = new ArrayList<>();
        for (int c = 0; c < columns.length; c++) {
            out.add(columns[c].profile(header.get(c)));
        }
        return out;
    }

    /** One column's running summary. */
    private static final class Column {
        long missing = 0;
        boolean numeric = true;
        final Map<String, Long> counts = new HashMap<>();
        boolean capped = false;
        double sum = 0;
        double sumSq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long n = 0;
        /** Numeric past the cap: values are no longer counted (a numeric profile reports only the capped size). */
        boolean uncounted = false;
        /** Turned categorical while uncounted: the counts must be taken again in a second pass. */
        boolean recount = false;

        void add(String v) {
            if (Table.isMissing(v)) {
                missing++;
                return;
            }
            String value = v.trim();
            if (!uncounted && !count(value)) {
                uncounted = numeric;
            }
            if (numeric) {
                try {
                    addNumber(Table.parseNumber(value));
                } catch (NumberFormatException e) {
                    numeric = false;
                    recount = uncounted;
                }
            }
        }

        /** A present value that is the number {@code d}, in a numeric column no longer counted (or just counted). */
        void addNumber(double d) {
            sum += d;
            sumSq += d * d;
            min = Math.min(min, d);
            max = Math.max(max, d);
            n++;
        }

        /** Counts a present, trimmed value while under the cap on distinct values; false when the cap kept it out. */
        boolean count(String value) {
            if (counts.size() < DISTINCT_CAP || counts.containsKey(value)) {
                counts.merge(value, 1L, Long::sum);
                return true;
            }
            capped = true;
            return false;
        }

        ColumnProfile profile(String name) {
            if (counts.isEmpty()) {
                return new ColumnProfile(name, ColumnProfile.EMPTY, missing, 0, false, null, null, null, null, Map.of());
            }
            Map<String, Long> top = new LinkedHashMap<>();
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP_VALUES)
                    .forEach(e -> top.put(e.getKey(), e.getValue()));
            if (numeric) {
                double mean = sum / n;
                double var = Math.max(0, sumSq / n - mean * mean);
                return new ColumnProfile(name, ColumnProfile.NUMERIC, missing, counts.size(), capped, min, max, mean,
                        Math.sqrt(var), counts.size() <= TOP_VALUES ? top : Map.of());
            }
            return new ColumnProfile(name, ColumnProfile.CATEGORICAL, missing, counts.size(), capped, null, null, null, null, top);
        }
    }
}
