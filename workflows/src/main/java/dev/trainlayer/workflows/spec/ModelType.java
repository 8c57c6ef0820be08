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
            "earlyStoppingRounds", 30));

    private final Map<String, Object> defaults;

    ModelType(Map<String, Object> defaults) {
        this.defaults = defaults;
    }

    public Map<String, Object> defaults() {
        return defaults;
    }

    public Set<String> parameterNames() {
        return defaults.keySet();
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
