package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.Task;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Same data, params and seed → the same weights, also when other trials train at the same time. */
class MlpDeterminismTest {
    static Matrix train;
    static Matrix validation;
    static final MlpTrainer.Options OPTIONS = new MlpTrainer.Options(List.of(32, 16), 0.2, 1e-3, 1e-4, 32, 15, 100);

    @BeforeAll
    static void data() throws Exception {
        Matrix[] rows = BreastCancer.encoded(0.2, 0.15, 1);
        train = rows[0];
        validation = rows[1];
    }

    static MlpTrainer.Result train(long seed) {
        return MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC, OPTIONS, seed, Device.cpu(), null,
                (s, l, b) -> true);
    }

    @Test
    void parallelTrialsDoNotDisturbEachOther() throws Exception {
        MlpTrainer.Result alone = train(5);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<MlpTrainer.Result> a = pool.submit(() -> train(5));
            Future<MlpTrainer.Result> b = pool.submit(() -> train(6));
            MlpTrainer.Result together = a.get();
            assertArrayEquals(alone.bestParameters(), together.bestParameters());
            assertEquals(alone.state().curve(), together.state().curve());
            assertFalse(java.util.Arrays.equals(alone.bestParameters(), b.get().bestParameters()), "another seed, other weights");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void perThreadGradientsGiveTheWeightsOfDjlsCollector() {
        MlpTrainer.Result collector;
        MlpTrainer.threadGradients(false);
        try {
            collector = train(9);
        } finally {
            MlpTrainer.threadGradients(true);
        }
        MlpTrainer.Result thread = train(9);
        assertArrayEquals(collector.bestParameters(), thread.bestParameters(), "the same step, recorded without DJL's global flag");
        assertEquals(collector.state().curve(), thread.state().curve());
    }
}
