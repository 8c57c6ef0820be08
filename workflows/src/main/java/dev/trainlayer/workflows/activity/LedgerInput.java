package dev.trainlayer.workflows.activity;

import java.util.List;

/** Every trial of a run, written as one JSON line each to {@code runs/{runId}/ledger.jsonl}. */
public record LedgerInput(String runId, String pipeline, String datasetSha256, List<TrialResult> trials) {
    public LedgerInput {
        trials = List.copyOf(trials);
    }
}
