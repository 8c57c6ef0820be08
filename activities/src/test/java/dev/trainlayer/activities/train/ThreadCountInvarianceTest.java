package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cores a trial gets are divided among the trials running at the moment ({@link CoreBudget}); that is only safe
 * because the model does not depend on the thread count: XGBoost's hist trees and the MLP's PyTorch kernels give the
 * same bytes on 1, 2, 3 and 8 threads.
 */
class ThreadCountInvarianceTest {
    static Matrix data(int rows, long seed) {
        Random r = new Random(seed);
        int cols = 20;
        float[] v = new float[rows * cols];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                v[i * cols + c] = (float) r.nextGaussian();
                s += v[i * cols + c] * (c % 3 - 1);
            }
            y[i] = s + r.nextGaussian() > 0 ? 1 : 0;
        }
        return new Matrix(rows, cols, v, y);
    }

    static <T> T withThreads(int threads, Supplier<T> body) {
        String before = System.getProperty("trainlayer.trial.threads");
        System.setProperty("trainlayer.trial.threads", String.valueOf(threads));
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty("trainlayer.trial.threads");
            } else {
                System.setProperty("trainlayer.trial.threads", before);
            }
        }
    }

    @Test
    void xgboostAndTheMlpGiveTheSameModelOnOneAndTwoThreads() {
        Matrix train = data(6000, 1);
        Matrix validation = data(1500, 2);
        Map<String, Object> params = new HashMap<>(ModelType.XGBOOST.defaults());
        params.put("numRounds", 60);
        byte[] one = withThreads(1, () -> XgboostTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, params, 7).modelJson());
        for (int threads : new int[] {2, 3, 8}) {
            byte[] more = withThreads(threads, () -> XgboostTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS,
                    params, 7).modelJson());
            assertArrayEquals(one, more, "XGBoost: the same trees on 1 and " + threads + " threads");
        }

        MlpTrainer.Options options = new MlpTrainer.Options(List.of(128, 64), 0.1, 1e-3, 1e-4, 128, 4, 100);
        byte[] mlpOne = withThreads(1, () -> MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, options, 7,
                Device.cpu(), null, (s, l, b) -> true).bestParameters());
        for (int threads : new int[] {2, 3, 8}) {
            byte[] more = withThreads(threads, () -> MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, options,
                    7, Device.cpu(), null, (s, l, b) -> true).bestParameters());
            assertArrayEquals(mlpOne, more, "MLP: the same weights on 1 and " + threads + " threads");
        }
        withThreads(1, () -> {
            // back to the tests' one thread for whatever trains next in this JVM
            MlpTrainer.train(data(50, 3), data(20, 4), Task.CLASSIFICATION, 2, Metric.LOG_LOSS,
                    new MlpTrainer.Options(List.of(4), 0.0, 1e-3, 0.0, 16, 1, 1), 1, Device.cpu(), null, (s, l, b) -> true);
            return null;
        });
    }

    @Test
    void theCoresAreDividedAmongTheTrialsRunning() {
        String pinned = System.getProperty("trainlayer.xgboost.nthread");
        System.clearProperty("trainlayer.xgboost.nthread");
        System.setProperty("trainlayer.cores", "8");
        try {
            int before = CoreBudget.running();
            try (CoreBudget.Lease first = CoreBudget.start()) {
                assertEquals(8 / (before + 1), first.threads(), "a lone trial gets every core");
                try (CoreBudget.Lease second = CoreBudget.start(); CoreBudget.Lease third = CoreBudget.start()) {
                    assertEquals(8 / (before + 3), first.threads(), "three trials share them");
                    assertEquals(first.threads(), third.threads());
                }
                assertEquals(8 / (before + 1), first.threads(), "and give them back when the others end");
            }
            System.setProperty("trainlayer.trial.threads", "3");
            try (CoreBudget.Lease lease = CoreBudget.start()) {
                assertEquals(3, lease.threads(), "a pinned count wins");
            }
        } finally {
            System.clearProperty("trainlayer.cores");
            System.clearProperty("trainlayer.trial.threads");
            if (pinned != null) {
                System.setProperty("trainlayer.xgboost.nthread", pinned);
            }
        }
    }
}
