package dev.trainlayer.activities.train;

import dev.trainlayer.scoring.SeededDropout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Random;

/**
 * Xavier-uniform weights drawn from a seeded {@link Random} rather than the engine's global generator
 * (see {@link SeededDropout} for why). Parameters are initialized in block order, so the same seed and
 * architecture always give the same starting weights.
 */
final class SeededInitializer implements Initializer {
    private final Random random;

    SeededInitializer(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long fanOut = shape.get(0);
        long fanIn = shape.dimension() > 1 ? shape.size() / fanOut : fanOut;
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
