package dev.trainlayer.activities.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.workflows.activity.PairedComparison;
import dev.trainlayer.workflows.spec.GatesSpec;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.Task;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The paired comparison behind gates.significance, on outputs whose right and wrong rows are known. */
class SignificanceTest {
    static final int ROWS = 200;

    /** A binary classifier that gets the first {@code right} rows right (label 1 everywhere). */
    static EvaluationActivitiesImpl.Scored model(int right) {
        double[][] outputs = new double[ROWS][];
        float[] labels = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = 1;
            outputs[i] = i < right ? new double[] {0.2, 0.8} : new double[] {0.7, 0.3};
        }
        return new EvaluationActivitiesImpl.Scored(outputs, labels, Task.CLASSIFICATION, 2, Map.of());
    }

    @Test
    void mcnemarOnTheRowsOnlyOneModelGotRight() {
        GatesSpec.Significance spec = new GatesSpec.Significance("mcnemar", null, null).withDefaults();
        PairedComparison better = Significance.compare(spec, Metric.ROC_AUC, model(180), model(150), 7);
        assertEquals("accuracy", better.metric(), "McNemar compares right and wrong answers");
        assertEquals(0.15, better.improvement(), 1e-12);
        // 30 rows only the challenger got right, none only the champion: P(X >= 30), X ~ Binomial(30, 1/2) = 2^-30.
        assertEquals(Math.pow(0.5, 30), better.pValue(), 1e-15);
        assertTrue(better.significant());
        assertTrue(better.low() <= 0.15 && 0.15 <= better.high(), better::toString);

        PairedComparison same = Significance.compare(spec, Metric.ACCURACY, model(150), model(150), 7);
        assertEquals(0.0, same.improvement());
        assertEquals(1.0, same.pValue());
        assertFalse(same.significant());
    }

    @Test
    void bootstrapIsSeededAndOneSided() {
        GatesSpec.Significance spec = new GatesSpec.Significance("bootstrap", 0.05, 500);
        PairedComparison a = Significance.compare(spec, Metric.ACCURACY, model(153), model(150), 11);
        PairedComparison b = Significance.compare(spec, Metric.ACCURACY, model(153), model(150), 11);
        assertEquals(a, b, "same rows and seed, same interval and p-value");
        assertFalse(a.significant(), "3 rows of 200 are no evidence: " + a);
        PairedComparison worse = Significance.compare(spec, Metric.ACCURACY, model(120), model(150), 11);
        assertTrue(worse.improvement() < 0 && worse.pValue() > 0.5 && !worse.significant(), worse::toString);
        PairedComparison clear = Significance.compare(spec, Metric.ACCURACY, model(190), model(150), 11);
        assertTrue(clear.significant() && clear.low() > 0, clear::toString);
        assertEquals(1.0 / 501, clear.pValue(), 1e-12, "no resample without improvement: the smallest p-value 500 resamples give");
    }
}
