package dev.trainlayer.workflows.activity;

/**
 * Copy the source data at {@code uri} into the content-addressed dataset store under {@code dataset}, after
 * checking that {@code project} may read it (null: a run from before projects, unchecked).
 *
 * @param feedback           the pipeline's feedback prefix to add to the source ({@code feedback/{pipeline}/}), or null
 * @param feedbackUntilMillis only parts received at or before this time (the run's start) are taken, so a retried
 *                            snapshot takes the same parts
 * @param format             {@code csv} (null too) or {@code parquet}: the source's parts; the snapshot is CSV either way
 */
public record SnapshotInput(String runId, String dataset, String uri, String project, String feedback, Long feedbackUntilMillis,
                            String format) {
    public SnapshotInput(String runId, String dataset, String uri, String project, String feedback, Long feedbackUntilMillis) {
        this(runId, dataset, uri, project, feedback, feedbackUntilMillis, null);
    }

    public SnapshotInput(String runId, String dataset, String uri, String project) {
        this(runId, dataset, uri, project, null, null);
    }

    /** Whether the source is Parquet ({@code data.format: parquet}); CSV otherwise. */
    public boolean parquet() {
        return "parquet".equalsIgnoreCase(format);
    }

    public SnapshotInput withFormat(String format) {
        return new SnapshotInput(runId, dataset, uri, project, feedback, feedbackUntilMillis, format);
    }

    public SnapshotInput(String runId, String dataset, String uri) {
        this(runId, dataset, uri, null);
    }
}
