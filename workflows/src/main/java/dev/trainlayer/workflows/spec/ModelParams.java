package dev.trainlayer.workflows.spec;

import java.util.List;
import java.util.Map;

/** Typed access to candidate parameters with range checks; shared by the validator and the trainers. */
public final class ModelParams {
    /**
     * Every family, classification: {@code auto} (the default, when absent: balanced for a class under 10% of the rows
     * when the metric is roc_auc), {@code balanced} or {@code none}: how the classes are weighed in the training and
     * early-stopping losses (see the trainers' {@code ClassWeights}).
     */
    public static final String CLASS_WEIGHTS = "classWeights";
    /**
     * MLP: the standard deviation of Gaussian noise added to each (standardized) training input, drawn anew every
     * batch from the trial's seed; 0 (the default, when absent) adds none. A regularizer for small or noisy tables.
     */
    public static final String INPUT_NOISE = "inputNoise";

    private ModelParams() {}

    /** Returns null when the value is acceptable, else a message saying what is expected. */
    static String check(ModelType type, String name, Object value) {
        try {
            switch (name) {
                case "hiddenLayers" -> {
                    List<Integer> layers = intList(value);
                    if (layers.isEmpty() || layers.size() > 8) {
                        return "must list 1 to 8 layer widths, e.g. [64, 32]";
                    }
                    for (int w : layers) {
                        if (w < 1 || w > 4096) {
                            return "layer widths must be between 1 and 4096";
                        }
                    }
                }
                case "dropout" -> range(asDouble(value), 0.0, 0.95, true);
                case "learningRate", "eta" -> positiveAtMost(asDouble(value), 1.0);
                case "weightDecay", "lambda", "alpha", "minChildWeight" -> range(asDouble(value), 0.0, 1e6, true);
                case "subsample", "colsampleBytree", "colsampleBynode" -> {
                    double d = asDouble(value);
                    if (!(d > 0 && d <= 1)) {
                        return "must be in (0, 1], got " + d;
                    }
                }
                case "batchSize" -> intRange(value, 1, 1 << 16);
                case "maxEpochs", "numRounds" -> intRange(value, 1, 100_000);
                case "patience", "earlyStoppingRounds" -> intRange(value, 1, 10_000);
                case "maxDepth" -> intRange(value, 1, 32);
                case "trees" -> intRange(value, 1, 10_000);
                case CLASS_WEIGHTS -> {
                    if (!java.util.Set.of("auto", "balanced", "none").contains(String.valueOf(value))) {
                        return "must be auto, balanced or none, got '" + value + "'";
                    }
                }
                case INPUT_NOISE -> range(asDouble(value), 0.0, 5.0, true);
                case ModelType.LAYERS -> intRange(value, 1, 8);
                case ModelType.UNITS -> intRange(value, 1, 4096);
                default -> {
                    return "unknown parameter";
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public static double getDouble(Map<String, Object> params, String name) {
        return asDouble(params.get(name));
    }

    public static int getInt(Map<String, Object> params, String name) {
        return asInt(params.get(name));
    }

    public static List<Integer> getIntList(Map<String, Object> params, String name) {
        return intList(params.get(name));
    }

    static double asDouble(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number, got '" + s + "'");
            }
        }
        throw new IllegalArgumentException("must be a number, got " + describe(value));
    }

    static int asInt(Object value) {
        double d = asDouble(value);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be a whole number, got " + value);
        }
        return (int) d;
    }

    static List<Integer> intList(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(ModelParams::asInt).toList();
        }
        if (value instanceof Number) {
            return List.of(asInt(value));
        }
        throw new IllegalArgumentException("must be a list of whole numbers, e.g. [64, 32], got " + describe(value));
    }

    private static void range(double d, double lo, double hi, boolean inclusiveLo) {
        if (Double.isNaN(d) || d < lo || (!inclusiveLo && d == lo) || d > hi) {
            throw new IllegalArgumentException("must be between " + lo + " and " + hi + ", got " + d);
        }
    }

    private static void positiveAtMost(double d, double hi) {
        if (!(d > 0 && d <= hi)) {
            throw new IllegalArgumentException("must be greater than 0 and at most " + hi + ", got " + d);
        }
    }

    private static void intRange(Object value, int lo, int hi) {
        int i = asInt(value);
        if (i < lo || i > hi) {
            throw new IllegalArgumentException("must be between " + lo + " and " + hi + ", got " + i);
        }
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
