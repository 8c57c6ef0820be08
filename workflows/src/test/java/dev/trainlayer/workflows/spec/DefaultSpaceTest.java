package dev.trainlayer.workflows.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultSpaceTest {
    static List<Object> batches(long rows) {
        return ModelType.MLP.defaultSpace(rows).get("batchSize").choices();
    }

    @Test
    void mlpBatchSizesScaleWithTheTrainingRowsAndSmallDataKeepsTheClassicChoices() {
        List<Object> classic = List.of(16, 32, 64, 128);
        assertEquals(classic, ModelType.MLP.defaultSpace().get("batchSize").choices(), "unknown size");
        assertEquals(classic, batches(455));
        assertEquals(classic, batches(6_000));
        assertEquals(List.of(64, 128, 256, 512, 1024), batches(37_800));
        assertEquals(List.of(1024, 2048, 4096), batches(700_000));
        assertEquals(ModelType.XGBOOST.defaultSpace(), ModelType.XGBOOST.defaultSpace(1_000_000), "trees are size-free");
    }
}
