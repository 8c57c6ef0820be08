package dev.trainlayer.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
    static double[][] binary(double... p1) {
        double[][] out = new double[p1.length][];
        for (int i = 0; i < p1.length; i++) {
            out[i] = new double[] {1 - p1[i], p1[i]};
        }
        return out;
    }

    @Test
    void binaryMetricsMatchHandComputedValues() {
        double[][] p = binary(0.9, 0.8, 0.3, 0.6, 0.2);
        int[] y = {1, 1, 0, 0, 0};
        Map<String, Double> m = Metrics.classification(p, y, 2);
        assertEquals(0.8, m.get("accuracy"), 1e-12);
        // tp=2, fp=1, fn=0 → F1 = 4/5
        assertEquals(0.8, m.get("f1"), 1e-12);
        // every positive outranks every negative
        assertEquals(1.0, m.get("roc_auc"), 1e-12);
        double logLoss = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.7) + Math.log(0.4) + Math.log(0.8)) / 5;
        assertEquals(logLoss, m.get("log_loss"), 1e-12);
    }

    @Test
    void aucCountsTiesAsHalf() {
        assertEquals(0.5, Metrics.rocAuc(binary(0.5, 0.5), new int[] {1, 0}, 2), 1e-12);
        // positive/negative pairs: 0.4~0.4 tie (½), 0.4>0.1, 0.2<0.4, 0.2>0.1 → 2.5 of 4
        assertEquals(0.625, Metrics.rocAuc(binary(0.4, 0.2, 0.4, 0.1), new int[] {1, 1, 0, 0}, 2), 1e-12);
    }

    @Test
    void unseenLabelsCountAsMisses() {
        double[][] p = {{0.9, 0.1}, {0.1, 0.9}};
        assertEquals(0.5, Metrics.accuracy(p, new int[] {0, -1}), 1e-12);
        assertEquals(-Math.log(Metrics.EPS) / 2 - Math.log(0.9) / 2, Metrics.logLoss(p, new int[] {0, -1}), 1e-9);
    }

    @Test
    void multiclassMacroAverages() {
        double[][] p = {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}, {0.8, 0.1, 0.1}};
        int[] y = {0, 1, 2, 2};
        Map<String, Double> m = Metrics.classification(p, y, 3);
        assertEquals(0.75, m.get("accuracy"), 1e-12);
        // class F1s: 2/3, 1, 2/3
        assertEquals((2.0 / 3 + 1 + 2.0 / 3) / 3, m.get("f1"), 1e-12);
    }

    @Test
    void regressionMetrics() {
        Map<String, Double> m = Metrics.regression(new double[] {2, 4, 6}, new double[] {1, 4, 7});
        assertEquals(Math.sqrt(2.0 / 3), m.get("rmse"), 1e-12);
        assertEquals(2.0 / 3, m.get("mae"), 1e-12);
        assertEquals(1 - 2.0 / 18, m.get("r2"), 1e-12);
    }
}
