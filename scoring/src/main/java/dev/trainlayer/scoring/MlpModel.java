package dev.trainlayer.scoring;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.trainlayer.workflows.spec.Task;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

/** A trained DJL MLP loaded for inference (dropout off). Owns native memory: close it. */
public final class MlpModel implements TrainedModel {
    private static final int BATCH = 4096;

    private final MlpArchitecture architecture;
    private final Model model;

    private MlpModel(MlpArchitecture architecture, Model model) {
        this.architecture = architecture;
        this.model = model;
    }

    public static MlpModel load(MlpArchitecture architecture, byte[] parameters, Device device) {
        Model model = Model.newInstance("mlp", device);
        try {
            Block block = architecture.block();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, architecture.inputs()));
            block.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(parameters)));
            return new MlpModel(architecture, model);
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("cannot load MLP parameters: " + e.getMessage(), e);
        }
    }

    /** The network's parameters by name, as float32 values (what {@link PackedWeights#pack} takes). */
    public List<PackedWeights.Tensor> tensors() {
        java.util.List<PackedWeights.Tensor> out = new java.util.ArrayList<>();
        for (var p : model.getBlock().getParameters()) {
            NDArray a = p.getValue().getArray();
            out.add(new PackedWeights.Tensor(p.getKey(), a.getShape().getShape(), a.toFloatArray()));
        }
        return out;
    }

    @Override
    public double[][] predict(Matrix x) {
        return forward(model, architecture, x);
    }

    /** Forward pass in inference mode, in batches; softmax for classification, de-standardized for regression. */
    public static double[][] forward(Model model, MlpArchitecture architecture, Matrix x) {
        double[][] out = new double[x.rows()][];
        ParameterStore params = new ParameterStore(model.getNDManager(), false);
        for (int start = 0; start < x.rows(); start += BATCH) {
            int n = Math.min(BATCH, x.rows() - start);
            float[] slice = new float[n * x.cols()];
            System.arraycopy(x.values(), start * x.cols(), slice, 0, slice.length);
            try (NDManager sub = model.getNDManager().newSubManager()) {
                NDArray input = sub.create(slice, new Shape(n, x.cols()));
                NDArray y = model.getBlock().forward(params, new NDList(input), false).singletonOrThrow();
                if (architecture.task() == Task.CLASSIFICATION) {
                    y = y.softmax(1);
                }
                float[] flat = y.toType(DataType.FLOAT32, false).toFloatArray();
                int k = architecture.outputs();
                for (int i = 0; i < n; i++) {
                    double[] row = new double[k];
                    for (int j = 0; j < k; j++) {
                        row[j] = architecture.task() == Task.CLASSIFICATION ? flat[i * k + j]
                                : flat[i * k + j] * architecture.targetStd() + architecture.targetMean();
                    }
                    out[start + i] = row;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
