package dev.trainlayer.activities.features;

import dev.trainlayer.scoring.ColumnTasks;
import dev.trainlayer.scoring.FittedPipeline;

import dev.trainlayer.scoring.Table;
import dev.trainlayer.scoring.FittedPipeline.FittedColumn;
import dev.trainlayer.workflows.spec.ColumnSpec;
import dev.trainlayer.workflows.spec.DerivedColumn;
import dev.trainlayer.workflows.spec.Expression;
import dev.trainlayer.workflows.spec.FeaturesSpec;
import dev.trainlayer.workflows.spec.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Fits the feature pipeline on the training rows only — imputation values, scaling statistics and
 * category vocabularies never see validation or test rows.
 *
 * <p>Defaults that generalize: numeric columns are median-imputed and standardized; categorical columns
 * are most-frequent-imputed and one-hot encoded over their 50 most frequent training values (the rest
 * and unseen values encode as all zeros). Columns that cannot help — constant, entirely missing, or
 * identifier-like (a distinct string in every row) — are left out with a warning.
 */
public final class FeaturePipeline {
    public static final int DEFAULT_MAX_CATEGORIES = 50;
    /** Below this many training rows an all-distinct string column is not called an identifier. */
    static final int IDENTIFIER_MIN_ROWS = 30;
    /** The most cell values {@link #fit} gathers per pass over the training rows (~0.6 GB as Strings). */
    static final long GATHERED_CELLS = 12_000_000;
    /** From this many cells the columns the table holds as numbers are fitted in parallel. */
    static final long PARALLEL_CELLS = 1 << 20;

    private FeaturePipeline() {}

    public record Fit(FittedPipeline pipeline, List<String> warnings) {}

    public static Fit fit(Table train, String target, Task task, List<String> classes, FeaturesSpec spec) {
        return fit(train, target, task, classes, spec, GATHERED_CELLS);
    }

    /** {@link #fit} gathering at most {@code gatheredCells} values per pass (tests make it small). */
    static Fit fit(Table train, String target, Task task, List<String> classes, FeaturesSpec spec, long gatheredCells) {
        return fit(train, target, task, classes, spec, gatheredCells, PARALLEL_CELLS);
    }

    /** ... and fitting the columns held as numbers in parallel from {@code parallelCells} cells. */
    static Fit fit(Table train, String target, Task task, List<String> classes, FeaturesSpec spec, long gatheredCells,
                   long parallelCells) {
        List<String> warnings = new ArrayList<>();
        List<FittedColumn> columns = new ArrayList<>();
        Map<String, ColumnSpec> overrides = spec.columns();
        List<String> used = train.header().stream().filter(name -> !name.equals(target) && !spec.exclude().contains(name)).toList();
        // Columns the table already holds as numbers are fitted from them; the others from their Strings. Each
        // column's warnings are kept apart so that they come out in the header's order either way.
        FittedColumn[] fitted = new FittedColumn[used.size()];
        List<List<String>> columnWarnings = new ArrayList<>();
        boolean[] fromNumbers = new boolean[used.size()];
        for (int u = 0; u < used.size(); u++) {
            columnWarnings.add(new ArrayList<>());
        }
        // Each column on its own (a large table's in parallel): the same fit in any order. A column's fit holds about
        // four copies of its numbers at once.
        ColumnTasks.run(used.size(), train.size() * 32L, (long) train.size() * used.size() >= parallelCells, u -> {
            String name = used.get(u);
            double[] numbers = train.numbers(train.column(name));
            ColumnSpec override = overrides.get(name);
            if (numbers != null && fitsFromNumbers(numbers, override)) {
                fitted[u] = fitFromNumbers(name, numbers, override);
                fromNumbers[u] = true;
            }
        });
        List<Integer> fromText = new ArrayList<>();
        for (int u = 0; u < used.size(); u++) {
            if (!fromNumbers[u]) {
                fromText.add(u);
            }
        }
        // The other columns' values gathered a block of columns per pass over the rows (row by row, as the rows are
        // read), with at most GATHERED_CELLS values held at once, so a wide table does not hold all its cells as Strings.
        int perPass = (int) Math.max(1, Math.min(fromText.size(), gatheredCells / Math.max(1, train.size())));
        for (int from = 0; from < fromText.size(); from += perPass) {
            List<Integer> block = fromText.subList(from, Math.min(fromText.size(), from + perPass));
            int[] source = block.stream().mapToInt(u -> train.column(used.get(u))).toArray();
            String[][] byColumn = new String[block.size()][train.size()];
            for (int r = 0; r < train.size(); r++) {
                String[] row = train.rows().get(r);
                for (int k = 0; k < source.length; k++) {
                    byColumn[k][r] = row[source[k]];
                }
            }
            for (int k = 0; k < block.size(); k++) {
                int u = block.get(k);
                fitted[u] = fitColumn(used.get(u), byColumn[k], overrides.get(used.get(u)), columnWarnings.get(u));
                byColumn[k] = null;
            }
        }
        for (int u = 0; u < used.size(); u++) {
            warnings.addAll(columnWarnings.get(u));
            if (fitted[u] != null) {
                columns.add(fitted[u]);
            }
        }
        for (DerivedColumn d : spec.derived()) {
            Expression e = Expression.parse(d.expression());
            String[] values = new String[train.size()];
            for (int r = 0; r < train.size(); r++) {
                int row = r;
                double v = e.evaluate(col -> train.hasColumn(col) ? train.number(row, train.column(col)) : Double.NaN);
                values[r] = Double.isNaN(v) ? "" : Double.toString(v);
            }
            ColumnSpec override = overrides.get(d.name());
            ColumnSpec numeric = new ColumnSpec(ColumnSpec.ColumnType.NUMERIC,
                    override == null ? null : override.impute(), override == null ? null : override.fill(),
                    override == null ? null : override.scale(), override == null ? null : override.log1p(),
                    override == null ? null : override.buckets(), null);
            FittedColumn derivedColumn = fitColumn(d.name(), values, numeric, warnings);
            if (derivedColumn != null) {
                columns.add(derivedColumn);
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no usable feature columns remain (all were excluded, constant, empty or identifiers)");
        }
        FittedPipeline pipeline = new FittedPipeline(FittedPipeline.FORMAT_VERSION, target, task, classes, spec.derived(),
                columns, FittedPipeline.namesFor(columns));
        return new Fit(pipeline, warnings);
    }

    /**
     * Whether a column whose values are all numbers or missing ({@code numbers}, NaN where missing) is fitted from the
     * numbers alone with the same result as {@link #fitColumn} gives from its Strings: not when it is declared
     * categorical, and not when every present value is the same number (whether it is constant depends on how the
     * values are written: "1" and "1.0" are two categories' worth of text).
     */
    static boolean fitsFromNumbers(double[] numbers, ColumnSpec override) {
        if (override != null && override.type() == ColumnSpec.ColumnType.CATEGORICAL) {
            return false;
        }
        double first = Double.NaN;
        for (double x : numbers) {
            if (Double.isNaN(x)) {
                continue;
            }
            if (Double.isNaN(first)) {
                first = x;
            } else if (x != first) {
                return true;
            }
        }
        return false;
    }

    /** {@link #fitColumn} for a column that {@link #fitsFromNumbers}: it is numeric and not constant. */
    static FittedColumn fitFromNumbers(String name, double[] numbers, ColumnSpec override) {
        int present = 0;
        for (double x : numbers) {
            if (!Double.isNaN(x)) {
                numbers[present++] = x;
            }
        }
        return fitNumeric(name, Arrays.copyOf(numbers, present), override);
    }

    static FittedColumn fitColumn(String name, String[] values, ColumnSpec override, List<String> warnings) {
        // One pass: each present value trimmed and parsed once (NaN where it is not a number).
        List<String> present = new ArrayList<>(values.length);
        double[] parsed = new double[values.length];
        boolean allNumeric = true;
        for (String v : values) {
            if (!Table.isMissing(v)) {
                double d = Table.numberOrNaN(v);
                parsed[present.size()] = d;
                present.add(v.trim());
                allNumeric &= !Double.isNaN(d);
            }
        }
        if (present.isEmpty()) {
            warnings.add("column '" + name + "' has no values in the training rows; it is left out");
            return null;
        }
        ColumnSpec.ColumnType type = override != null && override.type() != null ? override.type()
                : allNumeric ? ColumnSpec.ColumnType.NUMERIC : ColumnSpec.ColumnType.CATEGORICAL;
        if (constant(present) && (override == null || override.type() == null)) {
            warnings.add("column '" + name + "' is constant in the training rows; it is left out");
            return null;
        }
        if (type == ColumnSpec.ColumnType.NUMERIC) {
            double[] xs = Arrays.stream(parsed, 0, present.size()).filter(d -> !Double.isNaN(d)).toArray();
            return fitNumeric(name, xs, override);
        }
        if (override == null && !allNumeric && present.size() >= IDENTIFIER_MIN_ROWS && new HashSet<>(present).size() == present.size()) {
            warnings.add("column '" + name + "' has a different value in every row (an identifier?); it is left out."
                    + " Declare it in features.columns with type: categorical to keep it");
            return null;
        }
        return fitCategorical(name, present, override);
    }

    /** Whether every value equals the first (a single distinct value). */
    private static boolean constant(List<String> present) {
        String first = present.get(0);
        for (String v : present) {
            if (!v.equals(first)) {
                return false;
            }
        }
        return true;
    }

    private static FittedColumn fitNumeric(String name, double[] xs, ColumnSpec override) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("column '" + name + "' is declared numeric but has no numeric values");
        }
        ColumnSpec.Impute impute = override == null || override.impute() == null ? ColumnSpec.Impute.MEDIAN : override.impute();
        double fill = switch (impute) {
            case MEAN -> Arrays.stream(xs).average().orElse(0);
            case MEDIAN -> median(xs);
            case MOST_FREQUENT -> mostFrequent(xs);
            case CONSTANT -> Double.parseDouble(override.fill());
        };
        boolean log1p = override != null && Boolean.TRUE.equals(override.log1p());
        double[] transformed = Arrays.stream(xs).map(x -> log1p ? Math.log1p(Math.max(x, 0)) : x).toArray();
        List<Double> buckets = override == null ? null : override.buckets();
        ColumnSpec.Scale scale = override == null || override.scale() == null ? ColumnSpec.Scale.STANDARDIZE : override.scale();
        double center = 0, scaleBy = 1;
        if (buckets == null || buckets.isEmpty()) {
            if (scale == ColumnSpec.Scale.STANDARDIZE) {
                center = Arrays.stream(transformed).average().orElse(0);
                double c = center;
                double var = Arrays.stream(transformed).map(x -> (x - c) * (x - c)).sum() / transformed.length;
                scaleBy = var > 0 ? Math.sqrt(var) : 1;
            } else if (scale == ColumnSpec.Scale.MINMAX) {
                center = Arrays.stream(transformed).min().orElse(0);
                double range = Arrays.stream(transformed).max().orElse(1) - center;
                scaleBy = range > 0 ? range : 1;
            }
        }
        return new FittedColumn(name, FittedColumn.NUMERIC, fill, null, log1p, center, scaleBy, buckets, List.of());
    }

    private static FittedColumn fitCategorical(String name, List<String> present, ColumnSpec override) {
        Map<String, Long> counts = new HashMap<>();
        present.forEach(v -> counts.merge(v, 1L, Long::sum));
        List<String> ordered = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        int max = override == null || override.maxCategories() == null ? DEFAULT_MAX_CATEGORIES : override.maxCategories();
        List<String> categories = ordered.subList(0, Math.min(max, ordered.size()));
        String fill = override != null && override.impute() == ColumnSpec.Impute.CONSTANT ? override.fill() : ordered.get(0);
        return new FittedColumn(name, FittedColumn.CATEGORICAL, 0, fill, false, 0, 1, null, List.copyOf(categories));
    }

    /**
     * The median as sorting would find it ({@code Arrays.sort} order: -0.0 before 0.0), by selection instead of a
     * sort: linear time, which matters for a column of a million rows.
     */
    static double median(double[] xs) {
        double[] a = xs.clone();
        int n = a.length;
        double upper = select(a, n / 2);
        if (n % 2 == 1) {
            return upper;
        }
        // After selecting position n/2, everything before it is no greater: the lower middle is their maximum.
        double lower = a[0];
        for (int i = 1; i < n / 2; i++) {
            if (Double.compare(a[i], lower) > 0) {
                lower = a[i];
            }
        }
        return (lower + upper) / 2;
    }

    /** Rearranges {@code a} so that position {@code k} holds what a sort would put there, no greater before it. */
    private static double select(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            // Median of three as the pivot, then a three-way partition (many equal values are common in real data).
            int mid = (lo + hi) >>> 1;
            double x = a[lo];
            double y = a[mid];
            double z = a[hi];
            double pivot = Double.compare(x, y) < 0
                    ? (Double.compare(y, z) < 0 ? y : Double.compare(x, z) < 0 ? z : x)
                    : (Double.compare(x, z) < 0 ? x : Double.compare(y, z) < 0 ? z : y);
            int lt = lo;
            int i = lo;
            int gt = hi;
            while (i <= gt) {
                int c = Double.compare(a[i], pivot);
                if (c < 0) {
                    double t = a[lt];
                    a[lt++] = a[i];
                    a[i++] = t;
                } else if (c > 0) {
                    double t = a[gt];
                    a[gt--] = a[i];
                    a[i] = t;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static double mostFrequent(double[] xs) {
        Map<Double, Integer> counts = new java.util.TreeMap<>();
        for (double x : xs) {
            counts.merge(x, 1, Integer::sum);
        }
        // Ties go to the smallest value: the TreeMap iterates in ascending order and max keeps the first.
        double best = Double.NaN;
        int bestCount = 0;
        for (Map.Entry<Double, Integer> e : counts.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }
}
