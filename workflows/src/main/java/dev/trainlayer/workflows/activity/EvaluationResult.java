package dev.trainlayer.workflows.activity;

import java.util.Map;

/**
 * Test-set metrics keyed by metric wire name; {@code champion} is empty when there is none; {@code comparison} is the
 * paired significance test when one was asked for and there was a champion to compare with; {@code evidence} is the
 * challenger's fuller picture for its model card (metric intervals, per-class metrics and confusion matrix, residuals:
 * {@code runs/{runId}/evaluation.json}), null from evaluations before it existed.
 */
public record EvaluationResult(Map<String, Double> challenger, Map<String, Double> champion, int testRows,
                               PairedComparison comparison, dev.trainlayer.workflows.artifact.ArtifactRef evidence) {
    public EvaluationResult(Map<String, Double> challenger, Map<String, Double> champion, int testRows) {
        this(challenger, champion, testRows, null);
    }

    public EvaluationResult(Map<String, Double> challenger, Map<String, Double> champion, int testRows,
                            PairedComparison comparison) {
        this(challenger, champion, testRows, comparison, null);
    }

    public EvaluationResult {
        challenger = Map.copyOf(challenger);
        champion = champion == null ? Map.of() : Map.copyOf(champion);
    }
}
