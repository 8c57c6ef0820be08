package dev.trainlayer.activities.train;

import dev.trainlayer.scoring.MlpModel;

import dev.trainlayer.scoring.SeededDropout;

import dev.trainlayer.scoring.MlpArchitecture;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.scoring.Metrics;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelParams;
import dev.trainlayer.workflows.spec.Task;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Trains an MLP with DJL: Adam with L2 weight decay, dropout, early stopping on validation loss
 * (restoring the best epoch's weights), and an epoch listener that checkpoints and heartbeats.
 *
 * <p>All randomness comes from java.util.Random instances derived from the trial's seed — initial weights,
 * batch order and dropout masks (reseeded from (seed, epoch) every epoch) — never from the engine's global
 * generator. So parallel trials in one worker cannot disturb each other, and an epoch's randomness does
 * not depend on how many epochs ran in this process, which is what lets a resumed trial follow the same path.
 */
public final class MlpTrainer {
    /**
     * DJL's own gradient collector allows one at a time per process (a static flag), which made MLP trials in one worker
     * take turns batch by batch. PyTorch's grad mode is per thread, so {@link ThreadGradients} records each trial's
     * gradients on its own thread instead and trials train side by side. Engines other than PyTorch keep DJL's
     * collector, one at a time behind this lock.
     */
    private static final java.util.concurrent.locks.ReentrantLock GRADIENTS = new java.util.concurrent.locks.ReentrantLock(true);

    /** Per-thread gradients (default); off, DJL's collector one step at a time, as before (-Dtrainlayer.mlp.djl-collector). */
    private static volatile boolean threadGradients = !Boolean.getBoolean("trainlayer.mlp.djl-collector");

    /** For benchmarks: {@code false} trains with DJL's collector, one step at a time per process, as trainlayer did before. */
    public static void threadGradients(boolean on) {
        threadGradients = on;
    }

    /** Validation loss must improve by more than this to count as better (the best epoch, whose weights are kept). */
    static final double MIN_DELTA = 1e-6;
    /**
     * The relative improvement on the best validation loss that counts as progress: an epoch that improves by less
     * still becomes the best epoch, but does not reset the patience (as scikit-learn's {@code tol} with
     * {@code n_iter_no_change}). A network whose loss creeps down by a few hundredths of a percent per epoch has
     * converged for any practical purpose, yet any gain reset the patience: the default MLP at batch 512 on 28k rows
     * of diamonds trained 157 epochs for a validation ROC AUC of 0.9437; with this rule, 114 epochs for 0.9429.
     */
    static final double MIN_GAIN = 1e-3;

    private MlpTrainer() {}

    /**
     * @param balanced   weigh the classes in the training and early-stopping losses ({@link ClassWeights}, resolved)
     * @param inputNoise standard deviation of the Gaussian noise added to each training input (0: none)
     */
    public record Options(List<Integer> hiddenLayers, double dropout, double learningRate, double weightDecay,
                          int batchSize, int maxEpochs, int patience, boolean balanced, double inputNoise) {
        public Options(List<Integer> hiddenLayers, double dropout, double learningRate, double weightDecay, int batchSize,
                       int maxEpochs, int patience) {
            this(hiddenLayers, dropout, learningRate, weightDecay, batchSize, maxEpochs, patience, false, 0);
        }

        public static Options from(Map<String, Object> params) {
            return new Options(ModelParams.getIntList(params, "hiddenLayers"), ModelParams.getDouble(params, "dropout"),
                    ModelParams.getDouble(params, "learningRate"), ModelParams.getDouble(params, "weightDecay"),
                    ModelParams.getInt(params, "batchSize"), ModelParams.getInt(params, "maxEpochs"),
                    ModelParams.getInt(params, "patience"), ClassWeights.balanced(params),
                    params.get(ModelParams.INPUT_NOISE) == null ? 0 : ModelParams.getDouble(params, ModelParams.INPUT_NOISE));
        }
    }

    /** Progress after {@code epoch} completed epochs; what a checkpoint records besides the weights. */
    public record State(int epoch, int bestEpoch, double bestLoss, int badEpochs, Map<String, Double> bestMetrics,
                        List<EpochMetrics> curve) {
        public State {
            curve = List.copyOf(curve);
            bestMetrics = bestMetrics == null ? Map.of() : Map.copyOf(bestMetrics);
        }
    }

    public record Resume(State state, byte[] latestParameters, byte[] bestParameters) {}

    /**
     * A trained network to continue from (incremental training, or the fine-tune after pruning): its architecture,
     * target scaling included, and weights. Training starts from them with a fresh optimizer, and they stay the result
     * unless an epoch beats their validation loss. {@code masks} (parameter name → kept weights, null: none) holds pruned
     * weights at zero: every optimizer step is followed by zeroing them again.
     */
    public record WarmStart(MlpArchitecture architecture, byte[] parameters, Map<String, boolean[]> masks) {
        public WarmStart(MlpArchitecture architecture, byte[] parameters) {
            this(architecture, parameters, null);
        }
    }

    public interface EpochListener {
        /**
         * Called after every epoch; {@code bestParameters} is non-null only when this epoch is the new best.
         * Returns false to stop training here (the trial was pruned).
         */
        boolean onEpoch(State state, Supplier<byte[]> latestParameters, byte[] bestParameters);
    }

    /**
     * The value at each step a curve reached: the metric at the best epoch (by validation loss, the
     * early-stopping criterion) up to that step — what training would have returned had it stopped there.
     */
    public static List<dev.trainlayer.workflows.activity.IntermediateValue> intermediate(List<EpochMetrics> curve,
                                                                                      List<Integer> steps) {
        List<dev.trainlayer.workflows.activity.IntermediateValue> out = new ArrayList<>();
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestValue = Double.NaN;
        int next = 0;
        for (EpochMetrics point : curve) {
            if (point.validationLoss() < bestLoss - MIN_DELTA) {
                bestLoss = point.validationLoss();
                bestValue = point.validationMetric();
            }
            while (next < steps.size() && steps.get(next) < point.epoch()) {
                next++;
            }
            if (next < steps.size() && steps.get(next) == point.epoch()) {
                out.add(new dev.trainlayer.workflows.activity.IntermediateValue(point.epoch(), bestValue));
            }
        }
        return out;
    }

    public record Result(MlpArchitecture architecture, byte[] bestParameters, State state, int resumedFromEpoch) {}

    public static Result train(Matrix train, Matrix validation, Task task, int classes, Metric metric, Options options,
                               long seed, Device device, Resume resume, EpochListener listener) {
        return train(train, validation, task, classes, metric, options, seed, device, resume, null, listener);
    }

    public static Result train(Matrix train, Matrix validation, Task task, int classes, Metric metric, Options options,
                               long seed, Device device, Resume resume, WarmStart warm, EpochListener listener) {
        MlpArchitecture architecture = warm != null ? warm.architecture() : architecture(train, task, classes, options);
        if (architecture.inputs() != train.cols() || architecture.task() != task
                || architecture.outputs() != (task == Task.CLASSIFICATION ? classes : 1)) {
            throw Failures.nonRetryable(FailureTypes.INCOMPATIBLE_MODEL, "the network to continue takes " + architecture.inputs()
                    + " inputs and gives " + architecture.outputs() + " outputs; the data encodes to " + train.cols() + " features"
                    + (task == Task.CLASSIFICATION ? " and " + classes + " classes" : "") + ". Train it from scratch");
        }
        return train(train, validation, task, classes, metric, options, seed, device, resume, warm, listener, architecture);
    }

    /** A new network's shape; regression targets are standardized with the training rows' mean and deviation. */
    static MlpArchitecture architecture(Matrix train, Task task, int classes, Options options) {
        double mean = 0, std = 1;
        if (task == Task.REGRESSION) {
            double sum = 0, sumSq = 0;
            for (float y : train.labels()) {
                sum += y;
                sumSq += (double) y * y;
            }
            mean = sum / train.rows();
            std = Math.sqrt(Math.max(1e-12, sumSq / train.rows() - mean * mean));
        }
        return new MlpArchitecture(1, train.cols(), options.hiddenLayers(), options.dropout(),
                task == Task.CLASSIFICATION ? classes : 1, task, mean, std);
    }

    private static Result train(Matrix train, Matrix validation, Task task, int classes, Metric metric, Options options,
                                long seed, Device device, Resume resume, WarmStart warm, EpochListener listener,
                                MlpArchitecture architecture) {
        try (CoreBudget.Lease lease = CoreBudget.start()) {
            return train(train, validation, task, classes, metric, options, seed, device, resume, warm, listener, architecture, lease);
        }
    }

    /**
     * PyTorch's intra-op threads for this process: the trial's share of the cores, set before each epoch (see
     * {@link CoreBudget}); PyTorch keeps one count per process, and every running trial asks for the same share.
     */
    private static void takeShare(Model model, Device device, CoreBudget.Lease lease) {
        if (device.isGpu() || !"PyTorch".equals(model.getNDManager().getEngine().getEngineName())) {
            return;
        }
        int share = lease.threads();
        if (ai.djl.pytorch.jni.JniUtils.getNumThreads() != share) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(share);
        }
    }

    private static Result train(Matrix train, Matrix validation, Task task, int classes, Metric metric, Options options,
                                long seed, Device device, Resume resume, WarmStart warm, EpochListener listener,
                                MlpArchitecture architecture, CoreBudget.Lease lease) {
        double mean = architecture.targetMean(), std = architecture.targetStd();
        Loss loss = task == Task.CLASSIFICATION ? Loss.softmaxCrossEntropyLoss() : Loss.l2Loss();
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                .optWeightDecays((float) options.weightDecay())
                .optClipGrad(5f)
                .build();
        try (Model model = Model.newInstance("mlp", device)) {
            model.setBlock(architecture.block());
            model.getBlock().setInitializer(new SeededInitializer(seed), Parameter.Type.WEIGHT);
            model.getBlock().setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
            List<SeededDropout> dropouts = model.getBlock().getChildren().values().stream()
                    .filter(SeededDropout.class::isInstance).map(SeededDropout.class::cast).toList();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(adam).optDevices(new Device[] {device});
            // Balanced class weights, from the training rows (the refit's: training and validation rows together).
            double[] weights = options.balanced() && task == Task.CLASSIFICATION ? ClassWeights.perClass(train.labels(), classes) : null;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, train.cols()));
                State state = new State(0, 0, Double.POSITIVE_INFINITY, 0, Map.of(), List.of());
                byte[] best = null;
                int resumedFrom = 0;
                Runnable afterStep = warm == null || warm.masks() == null ? () -> { } : masking(model, warm.masks());
                if (warm != null) {
                    // The starting point is the network as it was: the bar each epoch must beat, and the result
                    // if none does.
                    load(model, architecture, warm.parameters());
                    afterStep.run();
                    double[][] predicted = MlpModel.forward(model, architecture, validation);
                    Map<String, Double> scores = Metrics.score(predicted, validation, task, classes);
                    state = new State(0, 0, validationLoss(scores, task, predicted, validation, weights), 0, scores, List.of());
                    best = warm.parameters();
                }
                if (resume != null) {
                    restore(model, architecture, adam, resume.latestParameters());
                    state = resume.state();
                    if (resume.bestParameters() != null) {
                        best = resume.bestParameters();
                    } // else a continued network whose new epochs never beat it: its starting weights stay the best
                    resumedFrom = state.epoch();
                }
                float[] labels = scaledLabels(train, task, mean, std);
                while (state.epoch() < options.maxEpochs() && state.badEpochs() < options.patience()) {
                    takeShare(model, device, lease);
                    int epoch = state.epoch() + 1;
                    Random random = new Random(seed * 1_000_003L + epoch);
                    double trainLoss = runEpoch(trainer, train, labels, task, options.batchSize(), random, dropouts, weights, classes,
                            options.inputNoise(), afterStep);
                    if (!Double.isFinite(trainLoss)) {
                        throw Failures.nonRetryable(FailureTypes.TRAINING_DIVERGED, "MLP training loss became " + trainLoss
                                + " at epoch " + epoch + "; lower learningRate (now " + options.learningRate()
                                + "), or look for a feature with extreme values that is not scaled (features.columns.*.scale: none)");
                    }
                    double[][] predicted = MlpModel.forward(model, architecture, validation);
                    Map<String, Double> scores = Metrics.score(predicted, validation, task, classes);
                    double validationLoss = validationLoss(scores, task, predicted, validation, weights);
                    List<EpochMetrics> curve = new ArrayList<>(state.curve());
                    curve.add(new EpochMetrics(epoch, trainLoss, validationLoss, scores.get(metric.wire())));
                    boolean improved = validationLoss < state.bestLoss() - MIN_DELTA;
                    boolean progressed = improved && (!Double.isFinite(state.bestLoss())
                            || validationLoss < state.bestLoss() - MIN_GAIN * Math.abs(state.bestLoss()));
                    byte[] bestNow = null;
                    if (improved) {
                        best = save(model);
                        bestNow = best;
                        state = new State(epoch, epoch, validationLoss, progressed ? 0 : state.badEpochs() + 1, scores, curve);
                    } else {
                        state = new State(epoch, state.bestEpoch(), state.bestLoss(), state.badEpochs() + 1, state.bestMetrics(), curve);
                    }
                    if (!listener.onEpoch(state, () -> snapshot(model, adam), bestNow)) {
                        break;
                    }
                }
                if (best == null) {
                    best = save(model);
                }
                return new Result(architecture, best, state, resumedFrom);
            }
        }
    }

    /** Zeroes the masked-out weights of the live network, in place (after each optimizer step). */
    private static Runnable masking(Model model, Map<String, boolean[]> masks) {
        List<NDArray[]> pairs = new ArrayList<>();
        for (var p : model.getBlock().getParameters()) {
            boolean[] keep = masks.get(p.getKey());
            if (keep == null) {
                continue;
            }
            NDArray array = p.getValue().getArray();
            float[] ones = new float[keep.length];
            for (int i = 0; i < keep.length; i++) {
                ones[i] = keep[i] ? 1f : 0f;
            }
            if (array.getShape().size() != keep.length) {
                throw new IllegalArgumentException("mask for " + p.getKey() + " has " + keep.length + " entries, the parameter "
                        + array.getShape().size());
            }
            pairs.add(new NDArray[] {array, model.getNDManager().create(ones, array.getShape())});
        }
        if (pairs.size() != masks.size()) {
            throw new IllegalArgumentException("masks name parameters this network does not have: " + masks.keySet());
        }
        return () -> {
            for (NDArray[] pair : pairs) {
                try (NDArray masked = pair[0].mul(pair[1])) {
                    masked.copyTo(pair[0]);
                }
            }
        };
    }

    /** What early stopping minimizes: log loss for classification, mean squared error for regression. */
    private static double validationLoss(Map<String, Double> scores, Task task, double[][] predicted, Matrix validation,
                                         double[] weights) {
        if (weights != null) {
            return ClassWeights.logLoss(predicted, validation.labels(), weights);
        }
        return task == Task.CLASSIFICATION ? scores.get(Metric.LOG_LOSS.wire()) : Math.pow(scores.get(Metric.RMSE.wire()), 2);
    }

    private static float[] scaledLabels(Matrix train, Task task, double mean, double std) {
        float[] labels = train.labels().clone();
        if (task == Task.REGRESSION) {
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (float) ((labels[i] - mean) / std);
            }
        }
        return labels;
    }

    /**
     * One pass over the training rows in a seeded order. With {@code weights} (per class), the loss is the weighted mean
     * cross-entropy; with {@code inputNoise}, each input value gets Gaussian noise of that deviation, drawn from
     * {@code random} after the batch's dropout seeds.
     */
    private static double runEpoch(Trainer trainer, Matrix x, float[] labels, Task task, int batchSize, Random random,
                                   List<SeededDropout> dropouts, double[] weights, int classes, double inputNoise,
                                   Runnable afterStep) {
        int n = x.rows();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double total = 0;
        int cols = x.cols();
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            float[] features = new float[b * cols];
            float[] y = new float[b];
            for (int i = 0; i < b; i++) {
                int row = order[start + i];
                System.arraycopy(x.values(), row * cols, features, i * cols, cols);
                y[i] = labels[row];
            }
            for (SeededDropout dropout : dropouts) {
                dropout.reseed(random.nextLong());
            }
            if (inputNoise > 0) {
                for (int i = 0; i < features.length; i++) {
                    features[i] += (float) (inputNoise * random.nextGaussian());
                }
            }
            float[] dense = null;
            if (weights != null) {
                // One row per example with its class's weight at its class: -sum(dense * log softmax) is its weighted loss.
                dense = new float[b * classes];
                for (int i = 0; i < b; i++) {
                    int c = (int) y[i];
                    dense[i * classes + c] = (float) weights[c];
                }
            }
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDArray input = batch.create(features, new Shape(b, cols));
                NDArray label = task == Task.CLASSIFICATION ? batch.create(y, new Shape(b)) : batch.create(y, new Shape(b, 1));
                if (threadGradients && ThreadGradients.supports(input)) {
                    try (ThreadGradients gradients = new ThreadGradients()) {
                        NDArray prediction = trainer.forward(new NDList(input)).singletonOrThrow();
                        NDArray value = loss(trainer, batch, label, prediction, dense, b, classes);
                        gradients.backward(value);
                        total += value.getFloat() * b;
                    }
                    trainer.step();
                    afterStep.run();
                    continue;
                }
                GRADIENTS.lock();
                try {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray prediction = trainer.forward(new NDList(input)).singletonOrThrow();
                        NDArray value = loss(trainer, batch, label, prediction, dense, b, classes);
                        collector.backward(value);
                        total += value.getFloat() * b;
                    }
                    trainer.step();
                    afterStep.run();
                } finally {
                    GRADIENTS.unlock();
                }
            }
        }
        return total / n;
    }

    /** The batch's mean loss: the trainer's, or with {@code dense} class weights the weighted cross-entropy. */
    private static NDArray loss(Trainer trainer, NDManager batch, NDArray label, NDArray prediction, float[] dense, int b,
                                int classes) {
        if (dense == null) {
            return trainer.getLoss().evaluate(new NDList(label), new NDList(prediction));
        }
        NDArray weighted = batch.create(dense, new Shape(b, classes));
        return prediction.logSoftmax(1).mul(weighted).sum(new int[] {1}).neg().mean();
    }

    /** Marks a checkpoint that holds the optimizer's state after the weights. */
    private static final int SNAPSHOT = 0x544C5331; // "TLS1"

    /**
     * What a checkpoint needs to continue exactly: the weights and Adam's moment estimates and step counts.
     * Resuming from it gives the same weights, metrics and model as training straight through.
     */
    static byte[] snapshot(Model model, Optimizer adam) {
        byte[] weights = save(model);
        byte[] optimizer = AdamState.save(adam, model.getBlock());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(weights.length + optimizer.length + 12);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(SNAPSHOT);
            out.writeInt(weights.length);
            out.write(weights);
            out.writeInt(optimizer.length);
            out.write(optimizer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Loads a {@link #snapshot}; a checkpoint from before snapshots (weights only) restarts Adam's state. */
    static void restore(Model model, MlpArchitecture architecture, Optimizer adam, byte[] checkpoint) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            if (checkpoint.length < 4 || in.readInt() != SNAPSHOT) {
                load(model, architecture, checkpoint);
                return;
            }
            byte[] weights = in.readNBytes(in.readInt());
            byte[] optimizer = in.readNBytes(in.readInt());
            load(model, architecture, weights);
            AdamState.restore(adam, model.getBlock(), optimizer, model.getNDManager());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the MLP checkpoint: " + e.getMessage(), e);
        }
    }

    static byte[] save(Model model) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.getBlock().saveParameters(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize MLP parameters", e);
        }
    }

    /**
     * Copies checkpointed weights into the live parameter arrays. Loading into the training block itself
     * would replace its arrays with new ones, while the trainer keeps updating the arrays it already holds:
     * training would go on from the initial weights and validation would score frozen ones. So the weights
     * are read into a scratch block of the same architecture and copied over in place.
     */
    private static void load(Model model, MlpArchitecture architecture, byte[] parameters) {
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            ai.djl.nn.Block block = architecture.block();
            block.initialize(scratch, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, architecture.inputs()));
            block.loadParameters(scratch, new DataInputStream(new ByteArrayInputStream(parameters)));
            java.util.Map<String, Parameter> live = new java.util.HashMap<>();
            model.getBlock().getParameters().forEach(p -> live.put(p.getKey(), p.getValue()));
            for (var p : block.getParameters()) {
                Parameter target = live.get(p.getKey());
                if (target == null) {
                    throw new IllegalStateException("the checkpoint has parameter '" + p.getKey() + "', which this network does not");
                }
                p.getValue().getArray().copyTo(target.getArray());
            }
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalStateException("cannot restore MLP checkpoint: " + e.getMessage(), e);
        }
    }
}
