package dev.trainlayer.scoring;

import dev.trainlayer.workflows.spec.DerivedColumn;
import dev.trainlayer.workflows.spec.Expression;
import dev.trainlayer.workflows.spec.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A feature pipeline fitted on training rows: everything needed to turn raw CSV rows into the model's
 * input matrix, identically at training, evaluation and serving time. Stored as {@code features.json}
 * beside every model version.
 *
 * @param classes label classes in index order (classification), empty for regression
 */
public record FittedPipeline(
        int formatVersion,
        String target,
        Task task,
        List<String> classes,
        List<DerivedColumn> derived,
        List<FittedColumn> columns,
        List<String> featureNames) {

    public static final int FORMAT_VERSION = 1;

    /**
     * One input column's fitted transform.
     *
     * @param fill        numeric imputation value (fitted on train)
     * @param fillCategory categorical imputation value
     * @param center      subtracted before dividing by {@code scaleBy} (mean for standardize, min for min-max)
     * @param buckets     boundaries: the column becomes {@code buckets.size() + 1} indicators
     * @param categories  kept categories, one indicator each; anything else encodes as all zeros
     */
    public record FittedColumn(
            String name,
            String kind,
            double fill,
            String fillCategory,
            boolean log1p,
            double center,
            double scaleBy,
            List<Double> buckets,
            List<String> categories) {

        public static final String NUMERIC = "numeric";
        public static final String CATEGORICAL = "categorical";

        public int width() {
            if (CATEGORICAL.equals(kind)) {
                return categories.size();
            }
            return buckets == null || buckets.isEmpty() ? 1 : buckets.size() + 1;
        }
    }

    public int width() {
        return featureNames.size();
    }

    /** From this many cells a transform encodes its numeric columns in parallel. */
    static final long PARALLEL_CELLS = 1 << 20;

    /** Encodes every row of {@code table}; labels are encoded when the target column is present, else NaN. */
    public Matrix transform(Table table) {
        return transform(table, PARALLEL_CELLS);
    }

    /** {@link #transform(Table)}, its numeric columns encoded in parallel from {@code parallelCells} cells (tests vary it). */
    public Matrix transform(Table table, long parallelCells) {
        List<Expression> expressions = derived.stream().map(d -> Expression.parse(d.expression())).toList();
        Map<String, Integer> classIndex = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            classIndex.put(classes.get(i), i);
        }
        int[] sourceIndex = new int[columns.size()];
        Map<String, Integer> derivedIndex = new HashMap<>();
        for (int i = 0; i < derived.size(); i++) {
            derivedIndex.put(derived.get(i).name(), i);
        }
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c).name();
            if (derivedIndex.containsKey(name)) {
                sourceIndex[c] = -1 - derivedIndex.get(name);
            } else if (table.hasColumn(name)) {
                sourceIndex[c] = table.column(name);
            } else {
                // A serving-time row without this column: it is imputed like any missing value.
                sourceIndex[c] = Integer.MIN_VALUE;
            }
        }
        // Each categorical column's indicator by value (the first of equal categories, as a list's indexOf finds it).
        List<Map<String, Integer>> categoryIndex = new ArrayList<>();
        for (FittedColumn col : columns) {
            Map<String, Integer> byValue = new HashMap<>();
            if (FittedColumn.CATEGORICAL.equals(col.kind())) {
                for (int k = 0; k < col.categories().size(); k++) {
                    byValue.putIfAbsent(col.categories().get(k), k);
                }
            }
            categoryIndex.add(byValue);
        }
        // Each column's transform as plain arrays, read once per cell below.
        int n = columns.size();
        boolean[] categorical = new boolean[n];
        boolean[] log1ps = new boolean[n];
        double[] fills = new double[n];
        double[] centers = new double[n];
        double[] scales = new double[n];
        double[][] bucketsOf = new double[n][];
        int[] widths = new int[n];
        for (int c = 0; c < n; c++) {
            FittedColumn col = columns.get(c);
            categorical[c] = FittedColumn.CATEGORICAL.equals(col.kind());
            log1ps[c] = col.log1p();
            fills[c] = col.fill();
            centers[c] = col.center();
            scales[c] = col.scaleBy();
            bucketsOf[c] = col.buckets() == null || col.buckets().isEmpty() ? null
                    : col.buckets().stream().mapToDouble(Double::doubleValue).toArray();
            widths[c] = col.width();
        }
        int targetIndex = table.hasColumn(target) ? table.column(target) : -1;
        // A class label's cells read in one pass (repeated labels decoded once).
        String[] targetCells = targetIndex >= 0 && task == Task.CLASSIFICATION ? table.cellsOf(targetIndex) : null;
        int width = width();
        float[] values = new float[table.size() * width];
        float[] labels = new float[table.size()];
        double[] derivedValues = new double[derived.size()];
        int[] offsets = new int[n];
        for (int c = 1; c < n; c++) {
            offsets[c] = offsets[c - 1] + widths[c - 1];
        }
        // A numeric column the table holds as parsed numbers is encoded a column at a time (no lookup per cell); the
        // rest cell by cell below. Both go through encodeNumber, so the values are the same either way.
        // The columns are independent (each writes its own slots), so a large table's are encoded in parallel.
        boolean[] encoded = new boolean[n];
        ColumnTasks.run(n, table.size() * 8L, (long) table.size() * n >= parallelCells, c -> {
            double[] column = categorical[c] || sourceIndex[c] < 0 ? null : table.numbers(sourceIndex[c]);
            if (column != null) {
                encoded[c] = true;
                for (int r = 0; r < column.length; r++) {
                    encodeNumber(column[r], values, r * width + offsets[c], fills[c], log1ps[c], bucketsOf[c], centers[c],
                            scales[c]);
                }
            }
        });
        for (int r = 0; r < table.size(); r++) {
            int row = r;
            for (int d = 0; d < expressions.size(); d++) {
                derivedValues[d] = expressions.get(d).evaluate(col -> table.hasColumn(col) ? table.number(row, table.column(col)) : Double.NaN);
            }
            for (int c = 0; c < n; c++) {
                if (encoded[c]) {
                    continue;
                }
                int offset = r * width + offsets[c];
                int src = sourceIndex[c];
                if (categorical[c]) {
                    String raw = src >= 0 ? table.cell(r, src) : null;
                    String value = Table.isMissing(raw) ? columns.get(c).fillCategory() : raw.trim();
                    Integer k = value == null ? null : categoryIndex.get(c).get(value);
                    if (k != null) {
                        values[offset + k] = 1f;
                    }
                } else {
                    double v;
                    if (src == Integer.MIN_VALUE) {
                        v = Double.NaN;
                    } else if (src < 0) {
                        v = derivedValues[-1 - src];
                    } else {
                        v = table.number(r, src);
                    }
                    encodeNumber(v, values, offset, fills[c], log1ps[c], bucketsOf[c], centers[c], scales[c]);
                }
            }
            labels[r] = targetIndex < 0 ? Float.NaN : encodeLabel(table, r, targetIndex, targetCells, classIndex);
        }
        return new Matrix(table.size(), width, values, labels);
    }

    /** One numeric cell into its slot(s) from {@code offset}: imputed, log1p'd, then bucketed or scaled. */
    private static void encodeNumber(double v, float[] values, int offset, double fill, boolean log1p, double[] buckets,
                                     double center, double scale) {
        if (Double.isNaN(v)) {
            v = fill;
        }
        if (log1p) {
            v = Math.log1p(Math.max(v, 0));
        }
        if (buckets != null) {
            int b = 0;
            while (b < buckets.length && v >= buckets[b]) {
                b++;
            }
            values[offset + b] = 1f;
        } else {
            values[offset] = (float) ((v - center) / scale);
        }
    }

    private float encodeLabel(Table table, int r, int column, String[] cells, Map<String, Integer> classIndex) {
        if (task == Task.CLASSIFICATION) {
            String raw = cells[r];
            if (Table.isMissing(raw)) {
                return Float.NaN;
            }
            Integer idx = classIndex.get(raw.trim());
            // A class the model never saw: -1 marks it so metrics count it as a miss.
            return idx == null ? -1f : idx;
        }
        return (float) table.number(r, column);
    }


    public static List<String> namesFor(List<FittedColumn> columns) {
        List<String> names = new ArrayList<>();
        for (FittedColumn c : columns) {
            if (FittedColumn.CATEGORICAL.equals(c.kind())) {
                c.categories().forEach(v -> names.add(c.name() + "=" + v));
            } else if (c.buckets() != null && !c.buckets().isEmpty()) {
                for (int b = 0; b <= c.buckets().size(); b++) {
                    names.add(c.name() + "#bucket" + b);
                }
            } else {
                names.add(c.name());
            }
        }
        return names;
    }
}
