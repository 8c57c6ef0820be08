package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

/**
 * Make the registered model smaller after training (spec {@code optimize}); the original stays beside it.
 *
 * <p>An MLP's hidden layers are pruned by magnitude to {@code prune} sparsity (each weight matrix's smallest weights set
 * to zero; the output layer stays dense) and fine-tuned for a few epochs with the pruned weights held at zero; {@code quantize: int8} stores each weight
 * matrix as 8-bit integers with one scale per output unit. Boosted trees drop the trees past the best iteration, lose
 * their {@code prune} share of splits (lowest gain first, from the leaves up) and are stored as gzip-compressed JSON;
 * {@code int8} does not apply to trees. A linear model is left as it is.
 *
 * <p>The optimized model is scored on the run's frozen test rows: when its metric is at most {@code maxMetricDrop}
 * worse than the original's (in the metric's own units, as {@code gates.maxDropVsChampion}), it passes and scoring
 * serves it; otherwise the version serves the original and its record says why.
 *
 * @param prune         the share of weights (MLP) or splits (trees) to remove, 0 to 0.95 (absent: 0, none)
 * @param quantize      {@code int8} or {@code none} (absent: none)
 * @param maxMetricDrop how much worse the optimized model may score (absent: 0.005 for metrics between 0 and 1 —
 *                      accuracy, f1, roc_auc, r2 — and 0.5% of the original's value for rmse, mae and log_loss)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OptimizeSpec(Double prune, String quantize, Double maxMetricDrop) {
    public static final String INT8 = "int8";
    public static final String NONE = "none";
    public static final double MAX_PRUNE = 0.95;
    /** The default {@code maxMetricDrop} for metrics between 0 and 1, and relative to the original's value for the others. */
    public static final double DEFAULT_DROP = 0.005;

    public double pruneOrDefault() {
        return prune == null ? 0 : prune;
    }

    public boolean int8() {
        return quantize != null && INT8.equals(quantize.toLowerCase(Locale.ROOT));
    }

    /** The drop allowed for {@code metric} given the original model's value on the test rows. */
    public double maxDrop(Metric metric, double original) {
        if (maxMetricDrop != null) {
            return maxMetricDrop;
        }
        return switch (metric) {
            case RMSE, MAE, LOG_LOSS -> DEFAULT_DROP * Math.abs(original);
            default -> DEFAULT_DROP;
        };
    }
}
