package dev.trainlayer.activities.data;

import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.spec.ColumnSpec;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What validation needs to know about a table, gathered row by row as the snapshot streams past, so the table is
 * never held: the target's empty rows, its classes and their counts, its first non-number (regression), each
 * column declared numeric's first non-number, whether a column with a constant fill holds only numbers, and the
 * rows of the drift sample (the positions {@link dev.trainlayer.scoring.Monitoring#sample} takes, known from the
 * snapshot's row count).
 */
final class ValidationScan implements Table.Cells {
    /** A cell that broke a rule: its CSV line and value. */
    record Offender(long line, String value) {}

    final List<String> header;
    private final int target;
    private final boolean regression;
    long rows;
    long emptyLabels;
    final List<Long> firstEmptyLabelLines = new ArrayList<>();
    Offender firstNonNumericLabel;
    final Set<String> classes = new LinkedHashSet<>();
    final Map<String, Long> classCounts = new TreeMap<>();
    long labelled;
    /** Declared-numeric column → its first non-number (absent while none). */
    final Map<String, Offender> firstNonNumber = new LinkedHashMap<>();
    private final Map<String, Integer> declaredNumeric = new LinkedHashMap<>();
    /** Column → whether every present value so far is a number (for constant fills). */
    final Map<String, Boolean> allNumbers = new LinkedHashMap<>();
    private final Map<String, Integer> fillChecked = new LinkedHashMap<>();
    private final int[] samplePositions;
    private int nextSample = 0;
    final List<String[]> sample = new ArrayList<>();
    /** The columns whose every cell the checks read (the target, declared-numeric and constant-fill columns). */
    private final boolean[] read;

    /**
     * @param expectedRows the snapshot's row count, which places the drift sample; {@code sampleSize} 0 for none
     */
    ValidationScan(List<String> header, PipelineSpec spec, long expectedRows, int sampleSize) {
        this.header = List.copyOf(header);
        this.target = header.indexOf(spec.target());
        this.regression = spec.task() == Task.REGRESSION;
        for (Map.Entry<String, ColumnSpec> e : spec.features().columns().entrySet()) {
            int c = header.indexOf(e.getKey());
            if (c < 0 || e.getValue() == null) {
                continue;
            }
            if (e.getValue().type() == ColumnSpec.ColumnType.NUMERIC) {
                declaredNumeric.put(e.getKey(), c);
            }
            if (e.getValue().impute() == ColumnSpec.Impute.CONSTANT) {
                fillChecked.put(e.getKey(), c);
                allNumbers.put(e.getKey(), true);
            }
        }
        read = new boolean[header.size()];
        if (target >= 0) {
            read[target] = true;
        }
        declaredNumeric.values().forEach(c -> read[c] = true);
        fillChecked.values().forEach(c -> read[c] = true);
        if (sampleSize > 0 && expectedRows > sampleSize) {
            samplePositions = new int[sampleSize];
            for (int i = 0; i < sampleSize; i++) {
                samplePositions[i] = (int) ((long) i * expectedRows / sampleSize);
            }
        } else {
            // All rows are the sample (or there is none).
            samplePositions = sampleSize > 0 ? null : new int[0];
        }
    }

    @Override
    public byte want(int column) {
        return read[column] ? STRING : SKIP;
    }

    /** The drift sample's rows are read whole. */
    @Override
    public boolean whole() {
        return samplePositions == null || nextSample < samplePositions.length && samplePositions[nextSample] == rows;
    }

    @Override
    public void accept(String[] cells, double[] numbers, boolean[] numbered) {
        // The array is the reader's, reused: a row kept for the sample is copied.
        take(whole() ? cells.clone() : cells);
    }

    /** One row: the cells the checks read, or all of them in a row of the drift sample. */
    private void take(String[] row) {
        long r = rows++;
        long line = r + 2;
        String label = row[target];
        if (Table.isMissing(label)) {
            emptyLabels++;
            if (firstEmptyLabelLines.size() < 5) {
                firstEmptyLabelLines.add(line);
            }
        } else if (regression) {
            if (firstNonNumericLabel == null && !Table.isNumber(label)) {
                firstNonNumericLabel = new Offender(line, label);
            }
        } else {
            String value = label.trim();
            classes.add(value);
            classCounts.merge(value, 1L, Long::sum);
            labelled++;
        }
        for (Map.Entry<String, Integer> e : declaredNumeric.entrySet()) {
            String v = row[e.getValue()];
            if (!firstNonNumber.containsKey(e.getKey()) && !Table.isMissing(v) && !Table.isNumber(v)) {
                firstNonNumber.put(e.getKey(), new Offender(line, v));
            }
        }
        for (Map.Entry<String, Integer> e : fillChecked.entrySet()) {
            if (allNumbers.get(e.getKey())) {
                String v = row[e.getValue()];
                if (!Table.isMissing(v) && !Table.isNumber(v)) {
                    allNumbers.put(e.getKey(), false);
                }
            }
        }
        if (samplePositions == null) {
            sample.add(row);
        } else {
            while (nextSample < samplePositions.length && samplePositions[nextSample] == r) {
                sample.add(row);
                nextSample++;
            }
        }
    }

    /** The drift sample as a table; null when {@code expectedRows} was not the count read (it cannot be trusted). */
    Table sampleTable() {
        if (samplePositions != null && nextSample != samplePositions.length) {
            return null;
        }
        return new Table(header, sample);
    }

    /** Label classes in a stable order: numeric labels by value, others alphabetically. */
    static List<String> ordered(Set<String> distinct) {
        List<String> classes = new ArrayList<>(distinct);
        if (classes.stream().allMatch(Table::isNumber)) {
            classes.sort(java.util.Comparator.comparingDouble(Double::parseDouble));
        } else {
            classes.sort(null);
        }
        return classes;
    }
}
