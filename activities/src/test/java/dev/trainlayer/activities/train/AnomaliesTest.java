package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.workflows.activity.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomaliesTest {
    static List<EpochMetrics> curve(double... validationLosses) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < validationLosses.length; i++) {
            out.add(new EpochMetrics(i + 1, 0.5, validationLosses[i], 0.9));
        }
        return out;
    }

    @Test
    void aHealthyCurveRaisesNothing() {
        assertTrue(Anomalies.check(curve(0.7, 0.5, 0.4, 0.41, 0.39, 0.45), 10).isEmpty());
        assertTrue(Anomalies.check(List.of(), 10).isEmpty());
    }

    @Test
    void nonFiniteLossesDivergenceAndLongPlateausAreAnomalies() {
        assertEquals(Anomalies.NON_FINITE, Anomalies.check(curve(0.7, Double.NaN), 10).orElseThrow().kind());
        assertEquals(Anomalies.NON_FINITE, Anomalies.check(curve(0.7, Double.POSITIVE_INFINITY), 10).orElseThrow().kind());
        Anomalies.Found diverged = Anomalies.check(curve(0.7, 0.3, 0.5, 1.2), 10).orElseThrow();
        assertEquals(Anomalies.DIVERGENCE, diverged.kind());
        assertTrue(diverged.message().contains("epoch 4") && diverged.message().contains("epoch 2"), diverged.message());
        double[] flat = new double[32];
        flat[0] = 0.5;
        for (int i = 1; i < flat.length; i++) {
            flat[i] = 0.6;
        }
        assertEquals(Anomalies.PLATEAU, Anomalies.check(curve(flat), 10).orElseThrow().kind());
        assertTrue(Anomalies.check(curve(flat), 20).isEmpty(), "31 flat epochs are not far past a patience of 20");
    }
}
