package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The MLP's early stopping on real rows: the weights kept are the best epoch's, however small its gain, and the
 * patience counts the epochs since the last one that beat the best by {@link MlpTrainer#MIN_GAIN} (relative).
 */
class MlpEarlyStoppingTest {
    @Test
    void patienceCountsFromTheLastEpochThatGainedEnoughAndTheBestEpochIsKept() throws Exception {
        Matrix[] rows = BreastCancer.encoded(0.2, 0.15, 1);
        int patience = 4;
        // A slow learning rate: the validation loss goes down steadily at first, then by tiny steps.
        MlpTrainer.Options options = new MlpTrainer.Options(List.of(16), 0.0, 3e-4, 1e-4, 64, 400, patience);
        MlpTrainer.Result r = MlpTrainer.train(rows[0], rows[1], Task.CLASSIFICATION, 2, Metric.LOG_LOSS, options, 3, Device.cpu(),
                null, (s, l, b) -> true);
        List<EpochMetrics> curve = r.state().curve();

        // Replay the rule on the recorded curve: where it says training ends, and which epoch is best.
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceProgress = 0;
        int stop = -1;
        int smallGains = 0;
        for (EpochMetrics e : curve) {
            double loss = e.validationLoss();
            boolean better = loss < best - MlpTrainer.MIN_DELTA;
            boolean progress = better && (!Double.isFinite(best) || loss < best - MlpTrainer.MIN_GAIN * best);
            smallGains += better && !progress ? 1 : 0;
            if (better) {
                best = loss;
                bestEpoch = e.epoch();
            }
            sinceProgress = progress ? 0 : sinceProgress + 1;
            if (sinceProgress >= patience) {
                stop = e.epoch();
                break;
            }
        }
        assertTrue(stop > 0 && stop < options.maxEpochs(), "stopped early, at " + stop + " of " + curve.size());
        assertEquals(stop, curve.size(), "training ends where the rule says: " + curve);
        assertEquals(bestEpoch, r.state().bestEpoch(), "the best epoch is kept even when its gain was too small to count");
        assertEquals(best, r.state().bestLoss(), 0);
        assertTrue(smallGains > 0, "the curve has epochs that were better but not by enough (the case this tests): " + curve);
    }
}
