package dev.trainlayer.activities.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The median by selection is, to the bit, the median a sort gives: ties, signed zeros, any length. */
class MedianPropertiesTest {
    static double bySort(double[] xs) {
        double[] sorted = xs.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    @Provide
    Arbitrary<List<Double>> columns() {
        Arbitrary<Double> few = Arbitraries.of(-0.0, 0.0, 1.0, -1.0, 2.5, 1e300, -1e300, Double.MIN_VALUE);
        Arbitrary<Double> any = Arbitraries.doubles().between(-1e6, 1e6);
        return Arbitraries.oneOf(few, any, Arbitraries.integers().between(-3, 3).map(Integer::doubleValue))
                .list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 2000)
    void selectionFindsTheSortedMedian(@ForAll("columns") List<Double> values) {
        double[] xs = values.stream().mapToDouble(Double::doubleValue).toArray();
        double[] before = xs.clone();
        assertEquals(Double.doubleToRawLongBits(bySort(xs)), Double.doubleToRawLongBits(FeaturePipeline.median(xs)), values::toString);
        assertEquals(Arrays.toString(before), Arrays.toString(xs), "the input is left as it was");
    }
}
