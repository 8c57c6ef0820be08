package dev.trainlayer.api;

import dev.trainlayer.workflows.FailureTypes;
import java.util.Map;

/** What a user can do about a failed run, by its stable failure type: shown with the failure by the API and the dashboard. */
final class FailureAdvice {
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry(FailureTypes.INVALID_SPEC, "Fix the spec field the message names and start the run again."),
            Map.entry(FailureTypes.DATASET_NOT_FOUND, "Upload the data (PUT /api/v1/datasets/{name}) or correct data.uri, then start the run again."),
            Map.entry(FailureTypes.DATA_INVALID, "Fix the column and rule the message names in the data, or leave the column out "
                    + "(features.exclude), then start the run again."),
            Map.entry(FailureTypes.TRAINING_DIVERGED, "Lower the learning rate or scale the features (features.columns.<name>.scale), "
                    + "then start the run again."),
            Map.entry(FailureTypes.NO_SUCCESSFUL_TRIAL, "Every trial failed: read the trials' failures, fix what they name, start the run again."),
            Map.entry(FailureTypes.GPU_UNAVAILABLE, "Start a worker that sees a GPU, or set compute.device to auto or cpu."),
            Map.entry(FailureTypes.ARTIFACT_MISSING, "Restore the object the message names in the store, then reset the run "
                    + "(POST /api/v1/runs/{runId}/reset)."),
            Map.entry(FailureTypes.ARTIFACT_CORRUPT, "An object no longer matches the sha256 recorded when it was written: restore it "
                    + "from a backup and reset the run, or retrain."),
            Map.entry(FailureTypes.INCOMPATIBLE_MODEL, "The champion cannot be continued on this data: run without `incremental` "
                    + "to train from scratch."),
            Map.entry(FailureTypes.DATA_ACCESS_DENIED, "data.uri must be one of the project's uploads or a prefix the operator "
                    + "configured for the project (trainlayer.projects.<p>.data-prefixes)."),
            Map.entry("RUN_LOST", "Temporal no longer has this run; its artifacts are in the store. Start it again if it had not finished."));

    private FailureAdvice() {}

    static String of(String type) {
        return type == null ? null : ACTIONS.get(type);
    }
}
