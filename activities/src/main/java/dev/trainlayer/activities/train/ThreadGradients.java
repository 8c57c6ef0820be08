package dev.trainlayer.activities.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records one training step's gradients on the calling thread, as DJL's {@code PtGradientCollector} does (grad mode on,
 * then backward from the loss with a gradient of ones) but without its process-wide "one collector at a time" flag:
 * PyTorch keeps grad mode per thread and runs a CPU backward on the calling thread, so two trials in one worker, each on
 * its own thread and its own parameters, train at the same time. The result of a step is the collector's, bit for bit
 * ({@code MlpDeterminismTest}).
 */
final class ThreadGradients implements AutoCloseable {
    private final boolean wasOn;

    /** Whether arrays like {@code sample} are PyTorch's (the only engine this is for). */
    static boolean supports(NDArray sample) {
        return sample instanceof PtNDArray;
    }

    ThreadGradients() {
        wasOn = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Backward from {@code loss}: the gradients land on the parameters it depends on. */
    void backward(NDArray loss) {
        NDArray ones = loss.getManager().ones(loss.getShape(), loss.getDataType()).toDevice(loss.getDevice(), false);
        JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
    }

    @Override
    public void close() {
        if (!wasOn) {
            JniUtils.setGradMode(false);
        }
    }
}
