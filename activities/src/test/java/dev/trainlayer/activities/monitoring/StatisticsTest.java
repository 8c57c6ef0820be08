package dev.trainlayer.activities.monitoring;

import dev.trainlayer.scoring.DriftTests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drift and paired tests against reference values computed with scipy 1.17.1 for the same fixed inputs
 * ({@code scipy.stats.ks_2samp}, {@code chi2_contingency(correction=False)}, {@code binomtest(alternative='greater')}),
 * and PSI against its definition evaluated with numpy.
 */
class StatisticsTest {
    static double[] a() {
        double[] out = new double[40];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((i * 37) % 101) / 10.0;
        }
        return out;
    }

    static double[] b(double shift) {
        double[] out = new double[30];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((i * 53) % 97) / 9.0 + 0.5 + shift;
        }
        return out;
    }

    static Map<String, Long> counts(Object... pairs) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return out;
    }

    @Test
    void kolmogorovSmirnovMatchesScipy() {
        DriftTests.Result same = DriftTests.ks(a(), b(0));
        assertEquals(0.11666666666666667, same.statistic(), 1e-12);
        assertEquals(0.955539189395509, same.pValue(), 1e-6);
        DriftTests.Result shifted = DriftTests.ks(a(), b(3));
        assertEquals(0.39166666666666666, shifted.statistic(), 1e-12);
        assertEquals(0.007700551091877636, shifted.pValue(), 1e-6);
    }

    @Test
    void chiSquareMatchesScipy() {
        DriftTests.Result r = DriftTests.chiSquare(counts("a", 50, "b", 30, "c", 20), counts("a", 30, "b", 40, "c", 25, "d", 5));
        assertEquals(11.984126984126984, r.statistic(), 1e-9);
        assertEquals(0.007437733013855564, r.pValue(), 1e-9);
        DriftTests.Result two = DriftTests.chiSquare(counts("x", 120, "y", 80), counts("x", 100, "y", 100));
        assertEquals(4.040404040404041, two.statistic(), 1e-9);
        assertEquals(0.044423184850005966, two.pValue(), 1e-9);
        assertEquals(1.0, DriftTests.chiSquare(counts("x", 5), counts("x", 9)).pValue(), "one category: nothing to compare");
    }

    @Test
    void psiFollowsItsDefinition() {
        assertEquals(0.4521994536753541, DriftTests.psi(counts("a", 50, "b", 30, "c", 20), counts("a", 30, "b", 40, "c", 25, "d", 5)), 1e-12);
        assertEquals(0.0, DriftTests.psi(a(), a(), 10), 1e-12, "the same data does not drift");
        double small = DriftTests.psi(a(), b(0), 10);
        double large = DriftTests.psi(a(), b(5), 10);
        assertTrue(large > 0.25 && large > small, small + " vs " + large);
    }

    @Test
    void mcnemarMatchesScipysOneSidedBinomialTest() {
        assertEquals(0.0717315673828125, PairedTests.mcnemar(12, 5), 1e-12);
        assertEquals(0.98876953125, PairedTests.mcnemar(3, 10), 1e-12);
        assertEquals(0.00674464686559593, PairedTests.mcnemar(40, 20), 1e-10);
        assertEquals(1.0, PairedTests.mcnemar(0, 0));
        boolean[] challenger = {true, true, true, false, true};
        boolean[] champion = {true, false, false, false, true};
        assertEquals(PairedTests.mcnemar(2, 0), PairedTests.mcnemar(challenger, champion));
    }

    @Test
    void pairedBootstrapIsSeededAndReadsImprovementCorrectly() {
        // Accuracy on 200 rows: the challenger misses every 20th row, the champion every 10th: +0.05.
        boolean[] challenger = new boolean[200];
        boolean[] champion = new boolean[200];
        for (int i = 0; i < 200; i++) {
            challenger[i] = i % 20 != 0;
            champion[i] = i % 10 != 0;
        }
        java.util.function.ToDoubleFunction<int[]> gain = rows -> {
            double d = 0;
            for (int r : rows) {
                d += (challenger[r] ? 1 : 0) - (champion[r] ? 1 : 0);
            }
            return d / rows.length;
        };
        PairedTests.Bootstrap better = PairedTests.bootstrap(200, gain, 2000, 0.05, 7);
        assertEquals(0.05, better.observed(), 1e-12);
        assertTrue(better.low() > 0 && better.high() > better.low() && better.low() <= better.observed() && better.observed() <= better.high(),
                better::toString);
        assertTrue(better.pValue() < 0.01, better::toString);
        assertEquals(better, PairedTests.bootstrap(200, gain, 2000, 0.05, 7), "same seed, same answer");

        PairedTests.Bootstrap same = PairedTests.bootstrap(200, rows -> 0.0, 500, 0.05, 7);
        assertEquals(1.0, same.pValue(), "no improvement on any resample");
        assertEquals(0.0, same.low());
        assertEquals(2.5, PairedTests.percentile(new double[] {1, 2, 3, 4}, 0.5), 1e-12, "numpy's linear percentile");
    }
}
