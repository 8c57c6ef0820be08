package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.scoring.XgboostModel;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Class weights: what {@code auto} comes to, the weights themselves, and that both families trained with balanced
 * weights move their predictions toward the rare class (they would not, were the weights not applied); input noise for
 * the MLP is drawn from the trial's seed, so the same seed still gives the same weights.
 */
class ClassWeightsTest {
    static Matrix train;
    static Matrix validation;

    /** Two overlapping Gaussian classes in 6 dimensions, the positive one 5% of the rows. */
    static Matrix rows(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * 6];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextDouble() < 0.05 ? 1 : 0;
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = (float) (random.nextGaussian() + (y[i] == 1 && j < 3 ? 1.0 : 0.0));
            }
        }
        return new Matrix(n, 6, x, y);
    }

    @BeforeAll
    static void data() {
        train = rows(3000, 1);
        validation = rows(1000, 2);
    }

    static float[] labels(int... counts) {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        float[] y = new float[n];
        int at = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int i = 0; i < counts[c]; i++) {
                y[at++] = c;
            }
        }
        return y;
    }

    @Test
    void autoWeighsARareClassWhenTheMetricRanksTheRowsOnly() {
        float[] rare = labels(970, 30);
        List<String> names = List.of("no", "yes");
        ClassWeights.Decision auto = ClassWeights.decide(Map.of(), Task.CLASSIFICATION, Metric.ROC_AUC, rare, 2, names);
        assertTrue(auto.balanced());
        assertEquals("the rarest class 'yes' is 3.0% of the 1000 training rows", auto.reason());
        assertTrue(ClassWeights.decide(Map.of("classWeights", "auto"), Task.CLASSIFICATION, Metric.ROC_AUC, rare, 2, names).balanced());
        assertFalse(ClassWeights.decide(Map.of(), Task.CLASSIFICATION, Metric.F1, rare, 2, names).balanced(), "f1 scores the labels");
        assertFalse(ClassWeights.decide(Map.of(), Task.CLASSIFICATION, Metric.LOG_LOSS, rare, 2, names).balanced(), "log loss");
        assertFalse(ClassWeights.decide(Map.of(), Task.CLASSIFICATION, Metric.ACCURACY, rare, 2, names).balanced(), "accuracy");
        assertFalse(ClassWeights.decide(Map.of(), Task.CLASSIFICATION, Metric.ROC_AUC, labels(880, 120), 2, names).balanced(),
                "12% is not rare");
        assertTrue(ClassWeights.decide(Map.of("classWeights", "balanced"), Task.CLASSIFICATION, Metric.LOG_LOSS, labels(500, 500), 2,
                names).balanced(), "asked for");
        assertFalse(ClassWeights.decide(Map.of("classWeights", "none"), Task.CLASSIFICATION, Metric.ROC_AUC, rare, 2, names).balanced());
        assertFalse(ClassWeights.decide(Map.of(), Task.REGRESSION, Metric.RMSE, rare, 0, List.of()).balanced());
    }

    @Test
    void balancedWeightsGiveEveryClassTheSameTotal() {
        float[] y = labels(90, 9, 1);
        double[] w = ClassWeights.perClass(y, 3);
        assertArrayEquals(new double[] {100.0 / 270, 100.0 / 27, 100.0 / 3}, w, 1e-12);
        float[] rows = ClassWeights.perRow(y, w);
        double[] totals = new double[3];
        for (int i = 0; i < y.length; i++) {
            totals[(int) y[i]] += rows[i];
        }
        assertArrayEquals(new double[] {100.0 / 3, 100.0 / 3, 100.0 / 3}, totals, 1e-4);
        assertEquals(0, ClassWeights.perClass(labels(5, 0), 2)[1], "a class without rows weighs nothing");
        double[][] p = {{0.9, 0.1}, {0.2, 0.8}};
        float[] two = {0, 1};
        double plain = (-Math.log(0.9) - Math.log(0.8)) / 2;
        assertEquals(plain, ClassWeights.logLoss(p, two, new double[] {1, 1}), 1e-12);
        assertEquals((-Math.log(0.9) - 3 * Math.log(0.8)) / 4, ClassWeights.logLoss(p, two, new double[] {1, 3}), 1e-12);
    }

    /** Mean predicted probability of the rare class over the validation rows. */
    static double meanRare(double[][] p) {
        double sum = 0;
        for (double[] row : p) {
            sum += row[1];
        }
        return sum / p.length;
    }

    @Test
    void xgboostWithBalancedWeightsPredictsTheRareClassMoreOften() {
        Map<String, double[][]> predicted = new HashMap<>();
        for (String mode : List.of("none", "balanced")) {
            Map<String, Object> params = new HashMap<>(ModelType.XGBOOST.defaults());
            params.put("classWeights", mode);
            params.put("numRounds", 60);
            XgboostTrainer.Result r = XgboostTrainer.train(ModelType.XGBOOST, train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC,
                    params, 3, null, (point, best) -> null, null);
            try (XgboostModel model = XgboostModel.load(r.modelJson(), r.metadata())) {
                predicted.put(mode, model.predict(validation));
            }
        }
        double none = meanRare(predicted.get("none"));
        double balanced = meanRare(predicted.get("balanced"));
        assertTrue(none < 0.1, "unweighted, near the 5% base rate: " + none);
        assertTrue(balanced > 3 * none, "balanced moves the probabilities toward the rare class: " + balanced + " vs " + none);
    }

    @Test
    void anMlpWithBalancedWeightsPredictsTheRareClassMoreOftenAndInputNoiseFollowsTheSeed() {
        MlpTrainer.Options none = new MlpTrainer.Options(List.of(16), 0.0, 3e-3, 1e-4, 64, 12, 100, false, 0);
        MlpTrainer.Options balanced = new MlpTrainer.Options(List.of(16), 0.0, 3e-3, 1e-4, 64, 12, 100, true, 0);
        double[][] plain = predict(MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC, none, 4, Device.cpu(),
                null, (s, l, b) -> true));
        double[][] weighed = predict(MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC, balanced, 4,
                Device.cpu(), null, (s, l, b) -> true));
        assertTrue(meanRare(weighed) > 3 * meanRare(plain), meanRare(weighed) + " vs " + meanRare(plain));

        MlpTrainer.Options noisy = new MlpTrainer.Options(List.of(16), 0.0, 3e-3, 1e-4, 64, 5, 100, false, 0.3);
        MlpTrainer.Result a = MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC, noisy, 8, Device.cpu(), null,
                (s, l, b) -> true);
        MlpTrainer.Result b = MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC, noisy, 8, Device.cpu(), null,
                (s, l, b2) -> true);
        assertArrayEquals(a.bestParameters(), b.bestParameters(), "the noise is drawn from the trial's seed");
        MlpTrainer.Options quiet = new MlpTrainer.Options(List.of(16), 0.0, 3e-3, 1e-4, 64, 5, 100, false, 0);
        MlpTrainer.Result c = MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC, quiet, 8, Device.cpu(), null,
                (s, l, b2) -> true);
        assertFalse(java.util.Arrays.equals(a.bestParameters(), c.bestParameters()), "the noise changes the training");
    }

    static double[][] predict(MlpTrainer.Result r) {
        try (dev.trainlayer.scoring.MlpModel model = dev.trainlayer.scoring.MlpModel.load(r.architecture(), r.bestParameters(), Device.cpu())) {
            return model.predict(validation);
        }
    }
}
