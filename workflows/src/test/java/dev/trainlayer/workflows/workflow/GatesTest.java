package dev.trainlayer.workflows.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.workflows.spec.GatesSpec;
import dev.trainlayer.workflows.spec.Metric;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatesTest {
    @Test
    void absoluteThresholds() {
        GatesSpec gates = new GatesSpec(Map.of("accuracy", 0.9), Map.of("log_loss", 0.3), null, null);
        List<GateResult> pass = Gates.evaluate(gates, Metric.ACCURACY, Map.of("accuracy", 0.95, "log_loss", 0.2), Map.of());
        assertTrue(pass.stream().allMatch(GateResult::passed));
        List<GateResult> fail = Gates.evaluate(gates, Metric.ACCURACY, Map.of("accuracy", 0.85, "log_loss", 0.4), Map.of());
        assertEquals(2, fail.stream().filter(g -> !g.passed()).count());
        assertEquals("0.8500 < 0.9000 (minimum)", fail.get(0).detail());
    }

    @Test
    void relativeToChampionRespectsTheMetricDirection() {
        GatesSpec drop = new GatesSpec(null, null, 0.01, false);
        assertTrue(Gates.evaluate(drop, Metric.ACCURACY, Map.of("accuracy", 0.945), Map.of("accuracy", 0.95)).get(0).passed());
        assertFalse(Gates.evaluate(drop, Metric.ACCURACY, Map.of("accuracy", 0.93), Map.of("accuracy", 0.95)).get(0).passed());
        assertFalse(Gates.evaluate(drop, Metric.RMSE, Map.of("rmse", 1.2), Map.of("rmse", 1.0)).get(0).passed());
        assertTrue(Gates.evaluate(drop, Metric.RMSE, Map.of("rmse", 0.9), Map.of("rmse", 1.0)).get(0).passed());
        assertTrue(Gates.evaluate(drop, Metric.RMSE, Map.of("rmse", 0.9), Map.of()).get(0).detail().contains("no champion"));
        GatesSpec better = new GatesSpec(null, null, null, true);
        assertFalse(Gates.evaluate(better, Metric.ACCURACY, Map.of("accuracy", 0.95), Map.of("accuracy", 0.95)).get(0).passed());
    }

    @Test
    void noGatesNoVerdicts() {
        assertTrue(Gates.evaluate(GatesSpec.NONE, Metric.ACCURACY, Map.of("accuracy", 0.1), Map.of()).isEmpty());
    }

    @Test
    void withSignificanceImprovementMeansSignificantlyBetter() {
        GatesSpec better = new GatesSpec(null, null, null, true, new GatesSpec.Significance("bootstrap", 0.05, 1000));
        var noise = new dev.trainlayer.workflows.activity.PairedComparison("bootstrap", "accuracy", 0.05, 0.01, -0.02, 0.04, 0.21,
                false, 200, 1000);
        GateResult notEnough = Gates.evaluate(better, Metric.ACCURACY, Map.of("accuracy", 0.96), Map.of("accuracy", 0.95), noise).get(0);
        assertFalse(notEnough.passed(), "better by a hair is not significantly better");
        assertTrue(notEnough.detail().contains("95% CI [-0.0200, 0.0400], p = 0.2100"), notEnough.detail());
        var clear = new dev.trainlayer.workflows.activity.PairedComparison("mcnemar", "accuracy", 0.05, 0.05, 0.02, 0.08, 0.001,
                true, 200, 1000);
        assertTrue(Gates.evaluate(better, Metric.ACCURACY, Map.of("accuracy", 0.99), Map.of("accuracy", 0.94), clear).get(0).passed());
        // Without a comparison (no champion scored) the plain rule applies.
        assertTrue(Gates.evaluate(better, Metric.ACCURACY, Map.of("accuracy", 0.96), Map.of(), null).get(0).passed());
    }
}
