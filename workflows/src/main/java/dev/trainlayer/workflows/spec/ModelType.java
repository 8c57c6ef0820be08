package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Candidate model families and the parameters each accepts, with defaults that generalize. */
public enum ModelType {
    /** Multi-layer perceptron trained with DJL (PyTorch engine). */
    MLP(Map.of(
            "hiddenLayers", java.util.List.of(64, 32),
            "dropout", 0.1,
            "learningRate", 1e-3,
            "weightDecay", 1e-4,
            "batchSize", 32,
            "maxEpochs", 200,
            "patience", 15)),
    /** Gradient-boosted trees trained with XGBoost4J (hist). */
    XGBOOST(Map.of(
            "maxDepth", 6,
            "eta", 0.1,
            "subsample", 0.8,
            "colsampleBytree", 0.8,
            "minChildWeight", 1.0,
            "lambda", 1.0,
            "numRounds", 500,
            "earlyStoppingRounds", 30)),
    /**
     * A regularized linear model (XGBoost4J {@code gblinear}, cyclic coordinate descent): linear or logistic
     * regression with L2 ({@code lambda}) and L1 ({@code alpha}) penalties on the encoded (standardized)
     * features, stopped early on the validation loss. The cheap baseline a tree ensemble or a network must beat.
     */
    LINEAR(Map.of(
            "lambda", 1e-4,
            "alpha", 1e-6,
            "eta", 1.0,
            "numRounds", 500,
            "earlyStoppingRounds", 20)),
    /**
     * A random forest (XGBoost4J's random-forest mode: one round of {@code trees} trees grown in parallel on
     * row and per-split column samples, averaged). Strong with no tuning, and hard to overfit.
     */
    FOREST(Map.of(
            "trees", 100,
            "maxDepth", 10,
            "subsample", 0.632,
            "colsampleBynode", 0.5,
            "minChildWeight", 1.0));

    private final Map<String, Object> defaults;

    ModelType(Map<String, Object> defaults) {
        this.defaults = defaults;
    }

    public Map<String, Object> defaults() {
        return defaults;
    }

    /**
     * The space searched when a candidate gives none: ranges that cover what works on most tabular data
     * (learning rates and regularization on log scales), leaving epochs/rounds to early stopping.
     */
    public Map<String, ParamRange> defaultSpace() {
        return defaultSpace(0);
    }

    /**
     * The first data-size scaling of the default space (searches started under {@code budget-allocation} version 1):
     * the MLP's batch sizes give an epoch 50–500 steps.
     */
    public static final int SCALING_STEPS_50_TO_500 = 1;
    /**
     * The current scaling: the MLP's batch sizes give an epoch about 25–200 steps, and its learning rates start at
     * 3e-4 rather than 1e-4 (with the size known). On a CPU a step's fixed cost (the optimizer update, the calls into
     * the engine) dominates at small batches: on 16k rows an epoch at batch 16 took ~25× one at batch 512 for a
     * network of the same size, and gave no better model. Fewer, larger steps want larger learning rates: at batch 512 and 1e-4, Adam was still
     * improving after all 200 epochs.
     */
    public static final int SCALING_STEPS_25_TO_200 = 2;

    /**
     * The default space for a training set of {@code trainRows} rows (0: unknown), scaled the current way
     * ({@link #SCALING_STEPS_25_TO_200}).
     */
    public Map<String, ParamRange> defaultSpace(long trainRows) {
        return defaultSpace(trainRows, SCALING_STEPS_25_TO_200);
    }

    /**
     * The default space for a training set of {@code trainRows} rows (0: unknown) under a data-size
     * {@code scaling} (one of the {@code SCALING_*} constants): only the MLP's batch sizes (see
     * {@link #batchSizes(long, int)}) and, with them, the lowest learning rate depend on the size; with the size
     * unknown the space is the classic one (batch sizes {16, 32, 64, 128}, learning rates from 1e-4).
     */
    public Map<String, ParamRange> defaultSpace(long trainRows, int scaling) {
        return switch (this) {
            case MLP -> Map.of(
                    "learningRate", ParamRange.range(scaling >= SCALING_STEPS_25_TO_200 && trainRows > 0 ? 3e-4 : 1e-4, 3e-2, true),
                    "weightDecay", ParamRange.range(1e-6, 1e-2, true),
                    "dropout", ParamRange.range(0.0, 0.5, false),
                    "hiddenLayers", ParamRange.choices(java.util.List.of(32), java.util.List.of(64), java.util.List.of(128),
                            java.util.List.of(64, 32), java.util.List.of(128, 64), java.util.List.of(256, 128)),
                    "batchSize", ParamRange.choices(batchSizes(trainRows, scaling)));
            case XGBOOST -> Map.of(
                    "maxDepth", ParamRange.range(2, 10, false),
                    "eta", ParamRange.range(0.01, 0.3, true),
                    "subsample", ParamRange.range(0.5, 1.0, false),
                    "colsampleBytree", ParamRange.range(0.5, 1.0, false),
                    "minChildWeight", ParamRange.range(0.1, 20, true),
                    "lambda", ParamRange.range(1e-3, 10, true));
            case LINEAR -> Map.of(
                    "lambda", ParamRange.range(1e-6, 1, true),
                    "alpha", ParamRange.range(1e-6, 1, true));
            case FOREST -> Map.of(
                    "maxDepth", ParamRange.range(4, 12, false),
                    "subsample", ParamRange.range(0.5, 0.9, false),
                    "colsampleBynode", ParamRange.range(0.2, 1.0, false),
                    "minChildWeight", ParamRange.range(0.5, 20, true));
        };
    }

    /**
     * Batch sizes worth searching for {@code trainRows} rows, smallest first: powers of two.
     * <ul>
     *   <li>{@link #SCALING_STEPS_50_TO_500}: from about rows/500 to rows/50 (at least 16 to 128, at most 4096), so
     *       an epoch is 50–500 steps; up to ~6,400 rows that is the plain {16, 32, 64, 128}.
     *   <li>{@link #SCALING_STEPS_25_TO_200}: from the power of two nearest rows/200 (16 to 512) to the one nearest
     *       rows/25 (128 to 2048), so an epoch is about 25–200 steps: {64 … 512} at 16k rows, {512 … 2048} from
     *       ~100k rows on; up to ~4,500 rows still {16, 32, 64, 128}.
     * </ul>
     */
    static Object[] batchSizes(long trainRows, int scaling) {
        if (trainRows <= 0) {
            return new Object[] {16, 32, 64, 128};
        }
        int low;
        int high;
        if (scaling >= SCALING_STEPS_25_TO_200) {
            low = (int) Math.min(512, Math.max(16, nearestPowerOfTwo(trainRows / 200.0)));
            high = (int) Math.min(2048, Math.max(128, nearestPowerOfTwo(trainRows / 25.0)));
        } else {
            low = (int) Math.min(1024, Math.max(16, Long.highestOneBit(Math.max(1, trainRows / 500))));
            long wanted = Math.max(128, trainRows / 50);
            high = (int) Math.min(4096, Long.highestOneBit(wanted) == wanted ? wanted : Long.highestOneBit(wanted) << 1);
        }
        java.util.List<Object> sizes = new java.util.ArrayList<>();
        for (int b = low; b <= high; b *= 2) {
            sizes.add(b);
        }
        return sizes.toArray();
    }

    /** The power of two nearest {@code x} on a log scale (1 for x at most 1). */
    private static long nearestPowerOfTwo(double x) {
        return x <= 1 ? 1 : 1L << Math.round(Math.log(x) / Math.log(2));
    }

    /** Whether the family trains with XGBoost4J (boosted trees, the linear model, the forest): the same model files. */
    public boolean xgboost() {
        return this != MLP;
    }

    /**
     * Whether training can go on from a trained model (incremental runs): the network (more epochs) and the
     * boosted trees (more rounds). The linear model and the forest are retrained from scratch.
     */
    public boolean continuable() {
        return this == MLP || this == XGBOOST;
    }

    /** Parameters that take whole numbers. */
    public boolean integerParameter(String name) {
        return Set.of("batchSize", "maxEpochs", "patience", "maxDepth", "numRounds", "earlyStoppingRounds", "trees", LAYERS, UNITS)
                .contains(name);
    }

    /** MLP search-only parameter: how many hidden layers (searched with {@link #UNITS}). */
    public static final String LAYERS = "layers";
    /** MLP search-only parameter: the width of each hidden layer, searched per layer; a layer's width counts only when it exists. */
    public static final String UNITS = "units";

    /**
     * Names a search space may use: the parameters, and for the MLP the conditional pair {@code layers} +
     * {@code units} (instead of listing {@code hiddenLayers} choices).
     */
    public Set<String> searchableNames() {
        if (this != MLP) {
            return parameterNames();
        }
        Set<String> names = new java.util.TreeSet<>(parameterNames());
        names.add(LAYERS);
        names.add(UNITS);
        return names;
    }

    /**
     * The parameters a candidate may set: the family's defaults, and the optional ones whose absence means their default
     * ({@link ModelParams#CLASS_WEIGHTS} for every family, {@link ModelParams#INPUT_NOISE} for the MLP).
     */
    public Set<String> parameterNames() {
        Set<String> names = new java.util.TreeSet<>(defaults.keySet());
        names.add(ModelParams.CLASS_WEIGHTS);
        if (this == MLP) {
            names.add(ModelParams.INPUT_NOISE);
        }
        return names;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ModelType parse(String value) {
        return Enums.parse(ModelType.class, value);
    }
}
