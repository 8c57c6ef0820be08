package dev.trainlayer.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Inverted dropout whose masks come from a generator the trainer reseeds for every batch, instead of the engine's
 * global generator. Trials that train at the same time in one worker share that global generator, so drawing from it
 * would make a trial's result depend on its neighbours; with this block a trial depends only on its own seed.
 *
 * <p>The generator is SplitMix64, each 64-bit output deciding two units (an element is dropped when its 32 bits fall
 * below {@code rate × 2³²}). It is a plain field, not {@link java.util.Random}, whose every draw is an atomic
 * compare-and-set: drawing a mask element by element that way took a quarter of an MLP trial's time.
 */
public final class SeededDropout extends AbstractBlock {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final float rate;
    private long state;

    public SeededDropout(float rate) {
        super((byte) 1);
        this.rate = rate;
    }

    public void reseed(long seed) {
        state = seed;
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
        long threshold = (long) (rate * 4294967296.0);
        long s = state;
        for (int i = 0; i < mask.length; i += 2) {
            s += GOLDEN_GAMMA;
            long bits = mix(s);
            mask[i] = (bits & 0xFFFFFFFFL) < threshold ? 0f : keep;
            if (i + 1 < mask.length) {
                mask[i + 1] = (bits >>> 32) < threshold ? 0f : keep;
            }
        }
        state = s;
        NDArray m = x.getManager().create(mask, x.getShape()).toDevice(x.getDevice(), false);
        return new NDList(x.mul(m));
    }

    /** SplitMix64's output function (Steele, Lea and Flood, 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
