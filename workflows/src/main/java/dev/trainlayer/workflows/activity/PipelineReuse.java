package dev.trainlayer.workflows.activity;

import java.util.List;

/**
 * Whether the features activity encoded the data with the champion's pipeline, as an incremental run asked.
 *
 * @param reused  true: the splits are encoded with version {@code version}'s pipeline; false: the data no
 *                longer fits it and a new pipeline was fitted ({@code notes} say why)
 * @param notes   why it was refused, or what the reused pipeline cannot see (e.g. categories that are new
 *                since the champion and encode as unknown)
 */
public record PipelineReuse(boolean reused, int version, List<String> notes) {
    public PipelineReuse {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}
