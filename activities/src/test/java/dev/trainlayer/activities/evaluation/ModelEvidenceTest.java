package dev.trainlayer.activities.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.scoring.Metrics;
import dev.trainlayer.workflows.spec.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelEvidenceTest {

    /** Three classes, 60 rows: class a always right, b right 15 of 20 (5 called c), c right 18 of 20 (2 called a). */
    static EvaluationActivitiesImpl.Scored threeClasses() {
        double[][] out = new double[60][];
        float[] labels = new float[60];
        for (int i = 0; i < 60; i++) {
            int actual = i / 20;
            int predicted = actual == 1 && i % 20 < 5 ? 2 : actual == 2 && i % 20 < 2 ? 0 : actual;
            out[i] = new double[] {0.1, 0.1, 0.1};
            out[i][predicted] = 0.8;
            labels[i] = actual;
        }
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) {
            y[i] = (int) labels[i];
        }
        return new EvaluationActivitiesImpl.Scored(out, labels, Task.CLASSIFICATION, 3, Metrics.classification(out, y, 3),
                List.of("a", "b", "c"));
    }

    @Test
    void perClassMetricsAndTheConfusionMatrixCountTheRows() {
        ModelEvidence e = ModelEvidence.of(threeClasses(), List.of("a", "b", "c"), 7);
        assertArrayEquals(new long[][] {{20, 0, 0}, {0, 15, 5}, {2, 0, 18}}, e.confusion());
        ModelEvidence.ClassMetrics b = e.perClass().get(1);
        assertEquals("b", b.label());
        assertEquals(1.0, b.precision());
        assertEquals(0.75, b.recall());
        assertEquals(2 * 15.0 / (20 + 15), b.f1(), 1e-12);
        assertEquals(20, b.support());
        assertEquals(20.0 / 22, e.perClass().get(0).precision(), 1e-12);
        assertNull(e.residuals());
    }

    @Test
    void everyIntervalHoldsItsValueAndTheSameSeedGivesTheSameIntervals() {
        ModelEvidence e = ModelEvidence.of(threeClasses(), List.of("a", "b", "c"), 7);
        assertEquals(4, e.intervals().size());
        for (ModelEvidence.Interval i : e.intervals()) {
            assertTrue(i.low() <= i.value() && i.value() <= i.high(), i.toString());
        }
        ModelEvidence.Interval accuracy = e.intervals().stream().filter(i -> i.metric().equals("accuracy")).findFirst().orElseThrow();
        assertEquals(53.0 / 60, accuracy.value(), 1e-12);
        assertTrue(accuracy.high() - accuracy.low() > 0.05, "60 rows: a wide interval, " + accuracy);
        assertEquals(e.intervals(), ModelEvidence.of(threeClasses(), List.of("a", "b", "c"), 7).intervals());
        assertEquals(1000, e.resamples());
        assertEquals(200, ModelEvidence.resamplesFor(1_000_000));
    }

    @Test
    void regressionResidualsAreSummarized() {
        double[][] out = new double[101][];
        float[] labels = new float[101];
        double[] p = new double[101];
        double[] a = new double[101];
        for (int i = 0; i < 101; i++) {
            labels[i] = i;
            out[i] = new double[] {i + (i - 50) / 10.0};   // residuals -5 .. 5
            p[i] = out[i][0];
            a[i] = i;
        }
        ModelEvidence e = ModelEvidence.of(new EvaluationActivitiesImpl.Scored(out, labels, Task.REGRESSION, 0,
                Metrics.regression(p, a), List.of()), List.of(), 1);
        ModelEvidence.Residuals r = e.residuals();
        assertEquals(0.0, r.mean(), 1e-9);
        assertEquals(0.0, r.median(), 1e-9);
        assertEquals(-4.5, r.p05(), 1e-9);
        assertEquals(4.5, r.p95(), 1e-9);
        assertEquals(5.0, r.maxAbs(), 1e-9);
        assertNull(e.confusion());
        assertEquals(3, e.intervals().size());
        assertTrue(Map.of("rmse", 1, "mae", 1, "r2", 1).keySet().containsAll(e.intervals().stream().map(ModelEvidence.Interval::metric).toList()));
    }
}
