package dev.trainlayer.workflows.activity;

import java.util.Map;

/** Test-set metrics keyed by metric wire name; {@code champion} is empty when there is none. */
public record EvaluationResult(Map<String, Double> challenger, Map<String, Double> champion, int testRows) {
    public EvaluationResult {
        challenger = Map.copyOf(challenger);
        champion = champion == null ? Map.of() : Map.copyOf(champion);
    }
}
