package dev.trainlayer.scoring;

import dev.trainlayer.workflows.spec.Task;
import java.util.List;

/**
 * An optimized network served in plain Java: its {@link PackedWeights} per layer, ReLU between layers, softmax
 * (classification) or the target's scaling undone (regression) at the end — what the DJL network computes in inference
 * mode, dropout off. No native engine call per request: a row costs microseconds where a call into PyTorch costs tens.
 *
 * <p>Each layer is stored by input: for every input unit, the weights it feeds forward. A row adds each nonzero input's
 * weights into the outputs, so inputs that ReLU zeroed cost nothing; a layer pruning left dense is a contiguous
 * {@code [inputs][units]} block (loops the JIT vectorizes), a sparse one keeps only its nonzero weights. Sums run in
 * float, in a fixed order: the same rows give the same outputs on any machine.
 */
public final class SparseMlp implements TrainedModel {
    /** Below this share of nonzero weights a layer keeps only those (with their unit indices); above, the dense block. */
    static final double SPARSE_BELOW = 0.4;

    private final MlpArchitecture architecture;
    private final Layer[] layers;

    /**
     * One linear layer by input: dense, {@code weights[i * units + o]}; sparse, input {@code i}'s weights are
     * {@code weights[start[i]..start[i+1])} for the units in {@code units}.
     */
    private record Layer(int inputs, int outputs, int[] start, int[] units, float[] weights, float[] bias) {
        boolean dense() {
            return start == null;
        }

        static Layer of(PackedWeights.Tensor weight, PackedWeights.Tensor bias) {
            int outputs = (int) weight.shape()[0];
            int inputs = (int) weight.shape()[1];
            if (bias.shape().length != 1 || bias.shape()[0] != outputs) {
                throw new IllegalStateException("layer " + weight.name() + " has " + outputs + " units but its bias "
                        + bias.name() + " has shape " + java.util.Arrays.toString(bias.shape()));
            }
            float[] w = weight.values();
            int nonzero = 0;
            for (float v : w) {
                nonzero += v != 0f ? 1 : 0;
            }
            if (nonzero >= SPARSE_BELOW * w.length) {
                float[] byInput = new float[w.length];
                for (int o = 0; o < outputs; o++) {
                    for (int i = 0; i < inputs; i++) {
                        byInput[i * outputs + o] = w[o * inputs + i];
                    }
                }
                return new Layer(inputs, outputs, null, null, byInput, bias.values());
            }
            int[] start = new int[inputs + 1];
            int[] units = new int[nonzero];
            float[] values = new float[nonzero];
            int k = 0;
            for (int i = 0; i < inputs; i++) {
                start[i] = k;
                for (int o = 0; o < outputs; o++) {
                    float v = w[o * inputs + i];
                    if (v != 0f) {
                        units[k] = o;
                        values[k++] = v;
                    }
                }
            }
            start[inputs] = k;
            return new Layer(inputs, outputs, start, units, values, bias.values());
        }

        /** {@code out[0..outputs)} = bias + this layer's weights × {@code in}, then ReLU when {@code hidden}. */
        void forward(float[] in, float[] out, boolean hidden) {
            System.arraycopy(bias, 0, out, 0, outputs);
            for (int i = 0; i < inputs; i++) {
                float h = in[i];
                if (h == 0f) {
                    continue;
                }
                if (start == null) {
                    int base = i * outputs;
                    for (int o = 0; o < outputs; o++) {
                        out[o] += weights[base + o] * h;
                    }
                } else {
                    for (int k = start[i]; k < start[i + 1]; k++) {
                        out[units[k]] += weights[k] * h;
                    }
                }
            }
            if (hidden) {
                for (int o = 0; o < outputs; o++) {
                    out[o] = Math.max(0f, out[o]);
                }
            }
        }
    }

    private SparseMlp(MlpArchitecture architecture, Layer[] layers) {
        this.architecture = architecture;
        this.layers = layers;
    }

    /**
     * The network in {@code packed} (see {@link PackedWeights}): its tensors in the network's order, each layer's weight
     * {@code [units, inputs]} followed by its bias, checked against {@code architecture}.
     */
    public static SparseMlp load(MlpArchitecture architecture, byte[] packed) {
        List<PackedWeights.Tensor> tensors = PackedWeights.unpack(packed);
        int expected = architecture.hiddenLayers().size() + 1;
        if (tensors.size() != 2 * expected) {
            throw new IllegalStateException("the packed network has " + tensors.size() + " tensors; its architecture needs "
                    + 2 * expected + " (a weight and a bias per layer)");
        }
        Layer[] layers = new Layer[expected];
        int inputs = architecture.inputs();
        for (int l = 0; l < expected; l++) {
            PackedWeights.Tensor weight = tensors.get(2 * l);
            int units = l < expected - 1 ? architecture.hiddenLayers().get(l) : architecture.outputs();
            if (weight.shape().length != 2 || weight.shape()[0] != units || weight.shape()[1] != inputs) {
                throw new IllegalStateException("layer " + l + " (" + weight.name() + ") has shape "
                        + java.util.Arrays.toString(weight.shape()) + "; the architecture needs [" + units + ", " + inputs + "]");
            }
            layers[l] = Layer.of(weight, tensors.get(2 * l + 1));
            inputs = units;
        }
        return new SparseMlp(architecture, layers);
    }

    @Override
    public double[][] predict(Matrix x) {
        if (x.cols() != architecture.inputs()) {
            throw new IllegalArgumentException("the network takes " + architecture.inputs() + " features, the rows have " + x.cols());
        }
        int widest = architecture.inputs();
        for (Layer layer : layers) {
            widest = Math.max(widest, layer.outputs());
        }
        float[] in = new float[widest];
        float[] out = new float[widest];
        double[][] result = new double[x.rows()][];
        for (int r = 0; r < x.rows(); r++) {
            System.arraycopy(x.values(), r * x.cols(), in, 0, x.cols());
            for (int l = 0; l < layers.length; l++) {
                layers[l].forward(in, out, l < layers.length - 1);
                float[] swap = in;
                in = out;
                out = swap;
            }
            result[r] = output(in, layers[layers.length - 1].outputs());
        }
        return result;
    }

    private double[] output(float[] logits, int k) {
        double[] row = new double[k];
        if (architecture.task() == Task.CLASSIFICATION) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits[j]);
            }
            double total = 0;
            for (int j = 0; j < k; j++) {
                row[j] = Math.exp(logits[j] - max);
                total += row[j];
            }
            for (int j = 0; j < k; j++) {
                row[j] /= total;
            }
        } else {
            row[0] = logits[0] * architecture.targetStd() + architecture.targetMean();
        }
        return row;
    }

    /** How many weights the layers keep (pruning removed the rest). */
    public long weights() {
        long n = 0;
        for (Layer layer : layers) {
            if (layer.dense()) {
                for (float w : layer.weights()) {
                    n += w != 0f ? 1 : 0;
                }
            } else {
                n += layer.weights().length;
            }
        }
        return n;
    }

    @Override
    public void close() {
        // plain Java arrays: nothing native to free
    }
}
