package dev.trainlayer.workflows.activity;

/**
 * Copy the source data at {@code uri} into the content-addressed dataset store under {@code dataset}, after
 * checking that {@code project} may read it (null: a run from before projects, unchecked).
 */
public record SnapshotInput(String runId, String dataset, String uri, String project) {
    public SnapshotInput(String runId, String dataset, String uri) {
        this(runId, dataset, uri, null);
    }
}
