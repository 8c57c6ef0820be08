package dev.trainlayer.workflows.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import java.util.List;
import java.util.Map;

/**
 * What optimizing a trained model did (spec {@code optimize}, see {@code OptimizeSpec}), measured on the run's frozen
 * test rows: the model files' sizes before and after, the run's metric for both ({@code metricDelta} = optimized −
 * original, in the metric's units), the median model-only inference time for one row and for a batch, and whether it
 * {@code passed} its {@code maxMetricDrop}. A passed optimization is what scoring serves; {@code artifacts} is the
 * optimized model's prefix (a trial's, then the version's {@code optimized/}) with the digest over its files, null when
 * nothing was written. {@code reason} says why it did not pass; {@code steps} says what was done, and {@code details}
 * gives the numbers behind them (sparsity, trees and splits kept, fine-tune epochs, features no tree uses).
 */
public record Optimization(
        List<String> steps,
        long originalBytes,
        long optimizedBytes,
        String metric,
        Double originalMetric,
        Double optimizedMetric,
        Double metricDelta,
        Double maxMetricDrop,
        Latency latencyMs,
        boolean passed,
        String reason,
        ArtifactRef artifacts,
        Map<String, Object> details) {

    public Optimization {
        steps = steps == null ? List.of() : List.copyOf(steps);
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** Median milliseconds of the model's predict call, for one row and for a batch of {@code rows}. */
    public record Latency(Timing singleRow, Timing batch) {}

    public record Timing(int rows, double original, double optimized) {}

    /** Why a version does not serve an optimization whose files did not all reach it. */
    public static final String NOT_COPIED = "its files were not complete when the version was registered";

    /** Nothing to optimize, or it could not be: the version serves its original model. */
    public static Optimization skipped(String metric, long originalBytes, String reason) {
        return new Optimization(List.of(), originalBytes, originalBytes, metric, null, null, null, null, null, false, reason, null,
                Map.of());
    }

    /** Whether scoring serves the optimized model. */
    @JsonIgnore
    public boolean serves() {
        return passed && artifacts != null;
    }

    /** The same, not served, for {@code why}. */
    public Optimization notServed(String why) {
        return new Optimization(steps, originalBytes, optimizedBytes, metric, originalMetric, optimizedMetric, metricDelta,
                maxMetricDrop, latencyMs, false, why, artifacts, details);
    }

    /**
     * What a registered version keeps of it in the registry's state (which holds every version): the numbers, without
     * the steps in words or the lists in {@code details}; the version's card ({@code card.json}) has it whole.
     */
    public Optimization slim() {
        Map<String, Object> numbers = new java.util.LinkedHashMap<>();
        details.forEach((k, v) -> {
            if (v instanceof Number || v instanceof Boolean) {
                numbers.put(k, v);
            }
        });
        return new Optimization(List.of(), originalBytes, optimizedBytes, metric, originalMetric, optimizedMetric, metricDelta,
                maxMetricDrop, latencyMs, passed, reason, artifacts, numbers);
    }

    /** The same, with its files now under {@code at} (the registered version's copy). */
    public Optimization at(ArtifactRef at) {
        return new Optimization(steps, originalBytes, optimizedBytes, metric, originalMetric, optimizedMetric, metricDelta,
                maxMetricDrop, latencyMs, passed, reason, at, details);
    }
}
