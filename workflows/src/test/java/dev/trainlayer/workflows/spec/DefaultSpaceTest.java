package dev.trainlayer.workflows.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultSpaceTest {
    static List<Object> batches(long rows, int scaling) {
        return ModelType.MLP.defaultSpace(rows, scaling).get("batchSize").choices();
    }

    @Test
    void mlpBatchSizesScaleWithTheTrainingRowsAndSmallDataKeepsTheClassicChoices() {
        List<Object> classic = List.of(16, 32, 64, 128);
        assertEquals(classic, ModelType.MLP.defaultSpace().get("batchSize").choices(), "unknown size");
        int now = ModelType.SCALING_STEPS_25_TO_200;
        assertEquals(ModelType.MLP.defaultSpace(37_800), ModelType.MLP.defaultSpace(37_800, now), "the current scaling");
        assertEquals(classic, batches(455, now));
        assertEquals(classic, batches(4_000, now));
        assertEquals(List.of(32, 64, 128, 256), batches(6_000, now));
        assertEquals(List.of(64, 128, 256, 512), batches(15_600, now), "an epoch of 244 to 30 steps");
        assertEquals(List.of(256, 512, 1024, 2048), batches(37_800, now));
        assertEquals(List.of(512, 1024, 2048), batches(700_000, now), "capped: large batches need other learning rates");
        assertEquals(ModelType.XGBOOST.defaultSpace(), ModelType.XGBOOST.defaultSpace(1_000_000), "trees are size-free");
        assertEquals(3e-4, ModelType.MLP.defaultSpace(15_600, now).get("learningRate").low(), "larger batches, larger steps");
        assertEquals(1e-4, ModelType.MLP.defaultSpace().get("learningRate").low(), "the size-free space stays as it was");
    }

    @Test
    void searchesStartedUnderTheFirstScalingKeepItsBatchSizes() {
        int first = ModelType.SCALING_STEPS_50_TO_500;
        List<Object> classic = List.of(16, 32, 64, 128);
        assertEquals(classic, batches(0, first));
        assertEquals(classic, batches(455, first));
        assertEquals(classic, batches(6_000, first));
        assertEquals(List.of(64, 128, 256, 512, 1024), batches(37_800, first));
        assertEquals(List.of(1024, 2048, 4096), batches(700_000, first));
        assertEquals(1e-4, ModelType.MLP.defaultSpace(37_800, first).get("learningRate").low());
    }
}
