package dev.trainlayer.activities.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.trainlayer.scoring.FittedPipeline;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.spec.ColumnSpec;
import dev.trainlayer.workflows.spec.DerivedColumn;
import dev.trainlayer.workflows.spec.FeaturesSpec;
import dev.trainlayer.workflows.spec.Task;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A packed table answers numbers it parsed as it read the rows, and the feature pipeline fits and encodes from them;
 * a table of Strings parses every cell where it is used. Both must give the same pipeline, the same matrices to the
 * bit and the same CSV bytes, whatever the columns hold: numbers written several ways, constant columns, missing
 * spellings, text that starts late, declared types and derived columns.
 */
class PackedFeaturesPropertiesTest {
    /** Cell pools, one per kind of column. */
    private static final String[][] POOLS = {
            {"1", "2.5", "-3", "0.125", " 7 ", "1e3", "", "NA"},
            // the same number written four ways: constant as numbers, four categories as text
            {"1", "1.0", " 1", "1.00", "", "null"},
            // one spelling only: constant either way
            {"4.2", "4.2", "", "?"},
            {"0", "-0", "0.0", "-0.0"},
            {"nan", "NaN", "", "None", "-"},
            {"red", "blue", "green", "", "red"},
            {"12", "34", "5x", "56"},
            {"1e400", "3", "4"},
            {"\"1,5\"", "2", "\"a \"\"b\"\"\"", "3"},
            {"Infinity", "1", "2"},
    };

    @Property(tries = 300)
    void packedAndStringTablesGiveTheSameFeatures(@ForAll long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int columns = 1 + random.nextInt(4);
        int rows = 2 + random.nextInt(40);
        int[] kinds = new int[columns];
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < columns; c++) {
            kinds[c] = random.nextInt(POOLS.length);
            csv.append("c").append(c).append(',');
        }
        csv.append("y\n");
        // A column may turn to text only after many rows: the packed table drops its numbers there.
        int late = random.nextInt(rows + 1);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                String[] pool = POOLS[kinds[c]];
                String cell = pool[random.nextInt(pool.length)];
                if (kinds[c] == 0 && r == late && random.nextBoolean()) {
                    cell = "late text";
                }
                csv.append(cell).append(',');
            }
            csv.append(r % 3 == 0 ? "a" : "b").append('\n');
        }
        Map<String, ColumnSpec> overrides = new LinkedHashMap<>();
        for (int c = 0; c < columns; c++) {
            switch (random.nextInt(6)) {
                case 0 -> overrides.put("c" + c, new ColumnSpec(ColumnSpec.ColumnType.CATEGORICAL, null, null, null, null, null, null));
                case 1 -> overrides.put("c" + c, new ColumnSpec(ColumnSpec.ColumnType.NUMERIC, ColumnSpec.Impute.MEAN, null,
                        ColumnSpec.Scale.MINMAX, true, null, null));
                case 2 -> overrides.put("c" + c, new ColumnSpec(null, ColumnSpec.Impute.MOST_FREQUENT, null, null, null,
                        List.of(0.0, 2.0), null));
                default -> { }
            }
        }
        List<DerivedColumn> derived = random.nextBoolean() ? List.of(new DerivedColumn("d", "c0 * 2 + 1")) : List.of();
        FeaturesSpec spec = new FeaturesSpec(overrides, derived, List.of());
        String text = csv.toString();
        Table plain = Table.read(new StringReader(text));
        Table packed = Table.readPacked(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));

        assertEquals(plain.toCsv(), new String(packed.toCsvBytes(), StandardCharsets.UTF_8));
        String fromStrings = outcome(plain, spec);
        assertEquals(fromStrings, outcome(packed, spec), text);
        // Columns fitted and encoded in parallel (as a large table's are): the same.
        assertEquals(fromStrings, outcome(packed, spec, 0), "in parallel: " + text);
        assertEquals(fromStrings, outcome(plain, spec, 0), "in parallel: " + text);
        // And on a selection of the rows (the split's views share the packed bytes and numbers).
        int[] some = java.util.stream.IntStream.range(0, rows).filter(r -> r % 2 == 1 || r == 0).toArray();
        assertEquals(outcome(plain.select(some), spec), outcome(packed.select(some), spec), text);
    }

    /** The fitted pipeline, its warnings and the encoded matrix as one comparable text (floats to the bit). */
    private static String outcome(Table table, FeaturesSpec spec) {
        return outcome(table, spec, Long.MAX_VALUE);
    }

    /** ... with columns fitted and encoded in parallel from {@code parallelCells} cells. */
    private static String outcome(Table table, FeaturesSpec spec, long parallelCells) {
        FeaturePipeline.Fit fit;
        try {
            fit = FeaturePipeline.fit(table, "y", Task.CLASSIFICATION, List.of("a", "b"), spec, FeaturePipeline.GATHERED_CELLS,
                    parallelCells);
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
        Matrix m = fit.pipeline().transform(table, parallelCells);
        List<Integer> bits = new ArrayList<>();
        for (float v : m.values()) {
            bits.add(Float.floatToRawIntBits(v));
        }
        for (float v : m.labels()) {
            bits.add(Float.floatToRawIntBits(v));
        }
        return fit.pipeline() + "\n" + fit.warnings() + "\n" + bits;
    }

    @Example
    void aPackedTableKnowsItsNumericColumns() throws Exception {
        String text = "x,name,y\n1,a,0\n NA ,b,1\n2.5,c,0\n";
        Table packed = Table.readPacked(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        double[] x = packed.numbers(0);
        assertNotNull(x);
        assertArrayEquals(new double[] {1, Double.NaN, 2.5}, x);
        assertNull(packed.numbers(1), "a text column has no numbers");
        assertArrayEquals(new double[] {2.5, 1}, packed.select(new int[] {2, 0}).numbers(0));
        assertNull(Table.read(new StringReader(text)).numbers(0), "a table of Strings parses where it is used");
        assertEquals(2.5, packed.number(2, 0));
        assertEquals("b", packed.cell(1, 1));
        FittedPipeline p = FeaturePipeline.fit(packed, "y", Task.REGRESSION, List.of(), FeaturesSpec.EMPTY).pipeline();
        assertEquals(List.of("x", "name=a", "name=b", "name=c"), p.featureNames());
    }
}
