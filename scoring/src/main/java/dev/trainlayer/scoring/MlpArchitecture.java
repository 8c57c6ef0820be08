package dev.trainlayer.scoring;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.trainlayer.workflows.spec.Task;
import java.util.List;

/**
 * The network's shape, stored as {@code architecture.json} beside its parameters (DJL saves parameters
 * only). Regression targets are standardized for training; {@code targetMean}/{@code targetStd} undo it.
 */
public record MlpArchitecture(
        int formatVersion,
        int inputs,
        List<Integer> hiddenLayers,
        double dropout,
        int outputs,
        Task task,
        double targetMean,
        double targetStd) {

    public SequentialBlock block() {
        SequentialBlock block = new SequentialBlock();
        for (int width : hiddenLayers) {
            block.add(Linear.builder().setUnits(width).build());
            block.add(Activation::relu);
            if (dropout > 0) {
                block.add(new SeededDropout((float) dropout));
            }
        }
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }
}
