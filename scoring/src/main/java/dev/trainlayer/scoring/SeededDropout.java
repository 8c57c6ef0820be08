package dev.trainlayer.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Random;

/**
 * Inverted dropout whose masks come from a {@link Random} the trainer reseeds for every batch, instead of
 * the engine's global generator. Trials that train at the same time in one worker share that global
 * generator, so drawing from it would make a trial's result depend on its neighbours; with this block
 * a trial depends only on its own seed.
 */
public final class SeededDropout extends AbstractBlock {
    private final float rate;
    private Random random = new Random(0);

    public SeededDropout(float rate) {
        super((byte) 1);
        this.rate = rate;
    }

    public void reseed(long seed) {
        random = new Random(seed);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        if (!training || rate <= 0) {
            return inputs;
        }
        NDArray x = inputs.singletonOrThrow();
        float[] mask = new float[Math.toIntExact(x.size())];
        float keep = 1f / (1f - rate);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextFloat() < rate ? 0f : keep;
        }
        NDArray m = x.getManager().create(mask, x.getShape()).toDevice(x.getDevice(), false);
        return new NDList(x.mul(m));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
