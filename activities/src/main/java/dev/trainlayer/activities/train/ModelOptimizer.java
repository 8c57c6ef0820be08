package dev.trainlayer.activities.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Json;
import dev.trainlayer.scoring.FittedPipeline;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.scoring.Metrics;
import dev.trainlayer.scoring.MlpArchitecture;
import dev.trainlayer.scoring.MlpModel;
import dev.trainlayer.scoring.ModelFiles;
import dev.trainlayer.scoring.ModelLoader;
import dev.trainlayer.scoring.PackedWeights;
import dev.trainlayer.scoring.TrainedModel;
import dev.trainlayer.scoring.XgboostMetadata;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.OptimizeInput;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.registry.Optimization;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.OptimizeSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a trained model smaller (spec {@code optimize}) and measures what that cost on the run's frozen test rows.
 *
 * <p>A network: each hidden layer's weight matrix loses its {@code prune} share of weights, smallest magnitude first (the
 * output layer stays dense); a short fine-tune (at most {@link #FINE_TUNE_EPOCHS} epochs at half the trial's learning
 * rate, early-stopped on the validation rows, the pruned weights held at zero) wins back what pruning cost; with {@code int8} each weight matrix is stored as 8-bit
 * integers with a scale per output unit ({@link PackedWeights}). Trees: the trees trained past the best iteration are
 * dropped, the {@code prune} share of splits with the least gain are collapsed into leaves, and the JSON model is stored
 * gzip-compressed. Both models are scored through the same loader serving uses, and their predict calls timed.
 *
 * <p>Deterministic for its input on a CPU: the masks follow from the weights, the fine-tune from the trial's seed; a
 * retried attempt writes the same files under the trial's {@code optimized/}.
 */
final class ModelOptimizer {
    private static final Logger log = LoggerFactory.getLogger(ModelOptimizer.class);

    /**
     * The fine-tune after pruning: at most this many epochs, stopping after {@link #FINE_TUNE_PATIENCE} without gain. At 10
     * epochs, three of four pruned regression networks were still improving when it ended.
     */
    static final int FINE_TUNE_EPOCHS = 30;
    static final int FINE_TUNE_PATIENCE = 5;
    /** A refit's fine-tune has no held-out rows to stop on: this many epochs on its training and validation rows. */
    static final int REFIT_FINE_TUNE_EPOCHS = 10;
    /** Fine-tuning starts from a trained network: half the trial's learning rate keeps Adam's fresh start from undoing it. */
    static final double FINE_TUNE_LEARNING_RATE = 0.5;
    /** How long each model's latency is measured, at most (single rows, then batches). */
    private static final long TIMING_NANOS = 1_500_000_000L;
    static final int BATCH_ROWS = 1000;

    private final ObjectStore store;

    ModelOptimizer(ObjectStore store) {
        this.store = store;
    }

    /** What optimizing made: the files to store and what was done. */
    private record Made(Map<String, byte[]> files, List<String> steps, Map<String, Object> details) {}

    Optimization optimize(OptimizeInput in, Supplier<Matrix> train, Supplier<Matrix> validation) {
        try {
            return optimizeBody(in, train, validation);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A model this code cannot read or rewrite stays that way on a retry: said once, not retried for hours.
            throw Failures.nonRetryable(FailureTypes.INCOMPATIBLE_MODEL, "cannot optimize trial " + in.trialId() + "'s model: "
                    + e.getMessage());
        }
    }

    private Optimization optimizeBody(OptimizeInput in, Supplier<Matrix> train, Supplier<Matrix> validation) {
        OptimizeSpec spec = in.optimize();
        Metric metric = in.metric();
        Map<String, byte[]> original = ModelFiles.read(store, in.model());
        long originalBytes = size(original);
        Made made = switch (in.model().type()) {
            case LINEAR -> null;
            case XGBOOST, FOREST -> trees(in, original, spec);
            case MLP -> network(in, original, spec, train, validation);
        };
        if (made == null) {
            String why = in.model().type() == ModelType.LINEAR
                    ? "a linear model has no trees to prune and few weights to quantize; it is served as trained"
                    : "nothing to do: set optimize.prune above 0 or optimize.quantize: int8 to make a network smaller";
            log.info("run {}: optimize: {}", in.runId(), why);
            return Optimization.skipped(metric.wire(), originalBytes, why);
        }
        String prefix = Keys.trial(in.runId(), in.trialId()) + "optimized/";
        Map<String, String> shas = new LinkedHashMap<>();
        for (String name : ModelFiles.optimizedNames(in.model().type())) {
            ArtifactRef written = store.putBytes(prefix + name, made.files().get(name), name.endsWith(".json")
                    ? "application/json" : "application/octet-stream");
            shas.put(name, written.sha256());
        }
        ArtifactRef artifacts = new ArtifactRef(store.bucket(), prefix, ModelFiles.digest(shas), -1);

        Matrix test = testRows(in);
        int classes = in.features().classes().size();
        double before;
        double after;
        Optimization.Latency latency;
        try (TrainedModel a = ModelLoader.load(in.model().type(), false, original);
             TrainedModel b = ModelLoader.load(in.model().type(), true, made.files())) {
            before = Metrics.score(a.predict(test), test, in.task(), classes).get(metric.wire());
            after = Metrics.score(b.predict(test), test, in.task(), classes).get(metric.wire());
            latency = latency(a, b, test);
        }
        double allowed = spec.maxDrop(metric, before);
        double drop = metric.drop(after, before);
        boolean passed = Double.isFinite(after) && drop <= allowed + 1e-12;
        String reason = passed ? null : String.format(Locale.ROOT, "%s fell by %.6g on the test rows (%.6g → %.6g), more than "
                + "optimize.maxMetricDrop %.6g allows", metric.wire(), drop, before, after, allowed);
        long optimizedBytes = size(made.files());
        log.info("run {}: optimized trial {} ({}): {} → {} bytes, {} {} → {} ({}), single row {} → {} ms", in.runId(), in.trialId(),
                String.join("; ", made.steps()), originalBytes, optimizedBytes, metric.wire(), before, after,
                passed ? "passed" : "not served", latency.singleRow().original(), latency.singleRow().optimized());
        return new Optimization(made.steps(), originalBytes, optimizedBytes, metric.wire(), before, after, after - before, allowed,
                latency, passed, reason, artifacts, made.details());
    }

    // ---- trees ----

    private Made trees(OptimizeInput in, Map<String, byte[]> original, OptimizeSpec spec) {
        XgboostMetadata metadata = Json.read(original.get("xgboost.json"), XgboostMetadata.class);
        List<String> steps = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        int kept = metadata.bestIteration() + 1;
        byte[] json = XgboostModels.truncate(original.get("model.json"), kept);
        if (metadata.rounds() > kept) {
            steps.add(String.format(Locale.ROOT, "dropped the %d boosting rounds trained past the best (kept %d)",
                    metadata.rounds() - kept, kept));
        }
        details.put("roundsKept", kept);
        details.put("roundsTrained", metadata.rounds());
        if (spec.pruneOrDefault() > 0) {
            XgboostModels.Pruned pruned = XgboostModels.prune(json, spec.pruneOrDefault(), lambda(in.model().type(), in.params()));
            json = pruned.modelJson();
            steps.add(String.format(Locale.ROOT, "collapsed %d of %d splits with the least gain into leaves (%.0f%%)",
                    pruned.splitsRemoved(), pruned.splitsBefore(), 100.0 * pruned.splitsRemoved() / Math.max(1, pruned.splitsBefore())));
            details.put("trees", pruned.trees());
            details.put("splitsBefore", pruned.splitsBefore());
            details.put("splitsRemoved", pruned.splitsRemoved());
            List<String> names = in.features().featureNames();
            List<String> unused = pruned.unusedFeatures().stream()
                    .map(f -> f < names.size() ? names.get(f) : "f" + f).toList();
            details.put("unusedFeatureCount", unused.size());
            details.put("unusedFeatures", unused.size() > 50 ? unused.subList(0, 50) : unused);
            if (!unused.isEmpty()) {
                steps.add(unused.size() + " of " + pruned.features() + " encoded features are used by no split (listed; the "
                        + "feature pipeline still computes them)");
            }
        }
        if (spec.int8()) {
            steps.add("int8 does not apply to trees: thresholds and leaf values stay float32");
        }
        byte[] gz = gzip(json);
        steps.add(String.format(Locale.ROOT, "stored the JSON model gzip-compressed (%d → %d bytes)", json.length, gz.length));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("xgboost.json", original.get("xgboost.json"));
        files.put("model.json.gz", gz);
        return new Made(files, steps, details);
    }

    /** The L2 regularization the trees were trained with (see {@code XgboostTrainer.boosterParams}). */
    static double lambda(ModelType family, Map<String, Object> params) {
        return family == ModelType.FOREST ? XgboostTrainer.FOREST_LAMBDA : dev.trainlayer.workflows.spec.ModelParams.getDouble(params, "lambda");
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    // ---- networks ----

    private Made network(OptimizeInput in, Map<String, byte[]> original, OptimizeSpec spec, Supplier<Matrix> train,
                         Supplier<Matrix> validation) {
        double share = spec.pruneOrDefault();
        if (share <= 0 && !spec.int8()) {
            return null;
        }
        MlpArchitecture architecture = Json.read(original.get("architecture.json"), MlpArchitecture.class);
        List<PackedWeights.Tensor> tensors;
        try (MlpModel model = MlpModel.load(architecture, original.get("model.params"), Device.cpu())) {
            tensors = model.tensors();
        }
        List<String> steps = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        if (share > 0) {
            String output = outputLayer(tensors);
            Pruning pruning = prune(tensors, share, output);
            Map<String, boolean[]> masks = pruning.masks();
            List<PackedWeights.Tensor> pruned = pruning.tensors();
            MlpTrainer.Options trial = MlpTrainer.Options.from(in.params());
            MlpTrainer.Options fineTune = new MlpTrainer.Options(trial.hiddenLayers(), trial.dropout(),
                    trial.learningRate() * FINE_TUNE_LEARNING_RATE, trial.weightDecay(), trial.batchSize(),
                    Math.min(FINE_TUNE_EPOCHS, trial.maxEpochs()), Math.min(FINE_TUNE_PATIENCE, trial.patience()), trial.balanced(),
                    trial.inputNoise());
            Matrix rows = train.get();
            Matrix held = validation.get();
            if (in.refitted()) {
                // A refit trained on the validation rows too: it is fine-tuned on the same rows for a fixed number of epochs
                // (no held-out rows are left to stop on; the test rows judge the result).
                rows = rows.append(held);
                held = rows;
                fineTune = new MlpTrainer.Options(fineTune.hiddenLayers(), fineTune.dropout(), fineTune.learningRate(),
                        fineTune.weightDecay(), fineTune.batchSize(), Math.min(REFIT_FINE_TUNE_EPOCHS, trial.maxEpochs()),
                        Integer.MAX_VALUE, fineTune.balanced(), fineTune.inputNoise());
            }
            MlpTrainer.Result tuned = MlpTrainer.train(rows, held, in.task(), in.features().classes().size(), in.metric(),
                    fineTune, in.seed() + FINE_TUNE_SEED, Devices.select(in.device()), null,
                    new MlpTrainer.WarmStart(architecture, parameters(architecture, pruned), masks), (state, latest, best) -> true);
            try (MlpModel model = MlpModel.load(architecture, tuned.bestParameters(), Device.cpu())) {
                tensors = model.tensors();
            }
            double sparsity = sparsity(tensors, output);
            steps.add(String.format(Locale.ROOT, "pruned %.0f%% of each hidden layer's weights, smallest magnitude first (the output "
                    + "layer stays dense)", 100 * share));
            steps.add(in.refitted()
                    ? String.format(Locale.ROOT, "fine-tuned %d epochs on the training and validation rows the refit trained on",
                            tuned.state().epoch())
                    : tuned.state().bestEpoch() == 0
                    ? String.format(Locale.ROOT, "fine-tuned %d epochs on the training rows; none beat the pruned network on the "
                            + "validation rows, which is kept", tuned.state().epoch())
                    : String.format(Locale.ROOT, "fine-tuned %d epochs on the training rows, keeping epoch %d (best on the validation "
                            + "rows)", tuned.state().epoch(), tuned.state().bestEpoch()));
            details.put("sparsity", round(sparsity));
            details.put("fineTuneEpochs", tuned.state().epoch());
            details.put("fineTuneBestEpoch", tuned.state().bestEpoch());
        }
        if (spec.int8()) {
            steps.add("quantized each weight matrix to int8, one scale per output unit (biases stay float32)");
        }
        details.put("weights", tensors.stream().filter(t -> t.shape().length == 2).mapToInt(t -> t.values().length).sum());
        details.put("int8", spec.int8());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("architecture.json", original.get("architecture.json"));
        files.put("model.packed", PackedWeights.pack(tensors, spec.int8()));
        return new Made(files, steps, details);
    }

    /** A network's tensors with weights pruned, and which weights each pruned matrix keeps. */
    record Pruning(List<PackedWeights.Tensor> tensors, Map<String, boolean[]> masks) {}

    /** Every weight matrix but {@code dense} (null: none) loses its {@code share} of smallest weights. */
    static Pruning prune(List<PackedWeights.Tensor> tensors, double share, String dense) {
        Map<String, boolean[]> masks = new LinkedHashMap<>();
        List<PackedWeights.Tensor> pruned = new ArrayList<>();
        for (PackedWeights.Tensor t : tensors) {
            if (t.shape().length != 2 || t.name().equals(dense)) {
                pruned.add(t);
                continue;
            }
            boolean[] keep = keepLargest(t.values(), share);
            masks.put(t.name(), keep);
            float[] v = t.values().clone();
            for (int i = 0; i < v.length; i++) {
                if (!keep[i]) {
                    v[i] = 0f;
                }
            }
            pruned.add(new PackedWeights.Tensor(t.name(), t.shape(), v));
        }
        return new Pruning(pruned, masks);
    }

    /** The fine-tune's seed: the trial's, moved so its batches and dropout are not a replay of the trial's first epochs. */
    static final long FINE_TUNE_SEED = 0x0F7E_0000L;

    /**
     * Which weights stay: all but the {@code share} with the smallest magnitude (ties broken by position, so the mask is a
     * function of the weights alone).
     */
    static boolean[] keepLargest(float[] values, double share) {
        int n = values.length;
        int drop = (int) Math.floor(share * n);
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            // Non-negative floats order as their bits do.
            order[i] = ((long) Float.floatToIntBits(Math.abs(values[i])) << 32) | i;
        }
        Arrays.sort(order);
        boolean[] keep = new boolean[n];
        Arrays.fill(keep, true);
        for (int k = 0; k < drop; k++) {
            keep[(int) (order[k] & 0xFFFFFFFFL)] = false;
        }
        return keep;
    }

    /**
     * The output layer's weight matrix: the last one. Pruning leaves it dense, as is usual: it is small (units × outputs)
     * and every weight of it moves a prediction directly; pruning it cost pruned regression networks most of their
     * accuracy.
     */
    static String outputLayer(List<PackedWeights.Tensor> tensors) {
        String last = null;
        for (PackedWeights.Tensor t : tensors) {
            if (t.shape().length == 2) {
                last = t.name();
            }
        }
        return last;
    }

    /** The share of zero weights in the pruned (hidden) layers. */
    private static double sparsity(List<PackedWeights.Tensor> tensors, String output) {
        long zeros = 0;
        long total = 0;
        for (PackedWeights.Tensor t : tensors) {
            if (t.shape().length != 2 || t.name().equals(output)) {
                continue;
            }
            for (float v : t.values()) {
                zeros += v == 0f ? 1 : 0;
            }
            total += t.values().length;
        }
        return total == 0 ? 0 : (double) zeros / total;
    }

    /** DJL's parameter file for the network with these tensors' values. */
    static byte[] parameters(MlpArchitecture architecture, List<PackedWeights.Tensor> tensors) {
        Map<String, PackedWeights.Tensor> byName = new HashMap<>();
        tensors.forEach(t -> byName.put(t.name(), t));
        try (Model model = Model.newInstance("mlp-pruned", Device.cpu())) {
            Block block = architecture.block();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, architecture.inputs()));
            for (var p : block.getParameters()) {
                PackedWeights.Tensor t = byName.get(p.getKey());
                NDArray target = p.getValue().getArray();
                try (NDArray values = model.getNDManager().create(t.values(), target.getShape())) {
                    values.copyTo(target);
                }
            }
            return MlpTrainer.save(model);
        }
    }

    // ---- measuring ----

    private Matrix testRows(OptimizeInput in) {
        FittedPipeline pipeline = Json.read(store.getBytes(in.features().pipeline()), FittedPipeline.class);
        return pipeline.transform(dev.trainlayer.activities.evaluation.EvaluationActivitiesImpl.testRows(store, in.features().testRaw(),
                in.runId()));
    }

    /**
     * Median milliseconds of each model's predict call for one row (the test rows in turn) and for a batch of up to
     * {@link #BATCH_ROWS} test rows, the two models measured in alternation after a warm-up, each for at most
     * about 1.5 s.
     */
    static Optimization.Latency latency(TrainedModel original, TrainedModel optimized, Matrix test) {
        int rows = test.rows();
        int batchRows = Math.min(BATCH_ROWS, rows);
        Matrix batch = slice(test, 0, batchRows);
        double[] single = time(original, optimized, i -> slice(test, i % rows, 1), 500);
        double[] batched = time(original, optimized, i -> batch, 50);
        return new Optimization.Latency(new Optimization.Timing(1, round(single[0]), round(single[1])),
                new Optimization.Timing(batchRows, round(batched[0]), round(batched[1])));
    }

    private static double[] time(TrainedModel a, TrainedModel b, java.util.function.IntFunction<Matrix> input, int maxCalls) {
        for (int i = 0; i < 5; i++) {
            a.predict(input.apply(i));
            b.predict(input.apply(i));
        }
        List<Double> ta = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        long budget = System.nanoTime() + 2 * TIMING_NANOS;
        for (int i = 0; i < maxCalls && (i < 5 || System.nanoTime() < budget); i++) {
            Matrix x = input.apply(i);
            long t0 = System.nanoTime();
            a.predict(x);
            long t1 = System.nanoTime();
            b.predict(x);
            long t2 = System.nanoTime();
            ta.add((t1 - t0) / 1e6);
            tb.add((t2 - t1) / 1e6);
        }
        return new double[] {median(ta), median(tb)};
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Matrix slice(Matrix m, int from, int count) {
        int cols = m.cols();
        return new Matrix(count, cols, Arrays.copyOfRange(m.values(), from * cols, (from + count) * cols),
                Arrays.copyOfRange(m.labels(), from, from + count));
    }

    private static long size(Map<String, byte[]> files) {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
