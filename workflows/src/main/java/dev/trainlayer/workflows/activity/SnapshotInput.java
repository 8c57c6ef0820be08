package dev.trainlayer.workflows.activity;

/**
 * Copy the source data at {@code uri} into the content-addressed dataset store under {@code dataset}, after
 * checking that {@code project} may read it (null: a run from before projects, unchecked).
 *
 * @param feedback           the pipeline's feedback prefix to add to the source ({@code feedback/{pipeline}/}), or null
 * @param feedbackUntilMillis only parts received at or before this time (the run's start) are taken, so a retried
 *                            snapshot takes the same parts
 */
public record SnapshotInput(String runId, String dataset, String uri, String project, String feedback, Long feedbackUntilMillis) {
    public SnapshotInput(String runId, String dataset, String uri, String project) {
        this(runId, dataset, uri, project, null, null);
    }

    public SnapshotInput(String runId, String dataset, String uri) {
        this(runId, dataset, uri, null);
    }
}
