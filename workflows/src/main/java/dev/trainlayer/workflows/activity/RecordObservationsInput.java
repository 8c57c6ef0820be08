package dev.trainlayer.workflows.activity;

import java.util.List;

/** A finished search's own observations, kept with its run for later warm starts. */
public record RecordObservationsInput(String pipeline, String runId, String spaceHash, String schemaHash, List<SearchObservation> observations) {
    public RecordObservationsInput {
        observations = List.copyOf(observations);
    }
}
