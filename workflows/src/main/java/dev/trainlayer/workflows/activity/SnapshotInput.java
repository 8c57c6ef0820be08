package dev.trainlayer.workflows.activity;

/**
 * Copy the source data at {@code uri} into the content-addressed dataset store under {@code dataset}, after
 * checking that {@code project} may read it (null: a run from before projects, unchecked).
 *
 * @param feedback           the pipeline's feedback prefix to add to the source ({@code feedback/{pipeline}/}), or null
 * @param feedbackUntilMillis only parts received at or before this time (the run's start) are taken, so a retried
 *                            snapshot takes the same parts
 * @param format             {@code csv} (null too) or {@code parquet}: the source's parts; the snapshot is CSV either way
 * @param stored             the sha256 of a snapshot already in the store under {@code dataset} to take again instead of
 *                           {@code uri} (a reproduction: the version's own data, whatever the source holds now), or null
 */
public record SnapshotInput(String runId, String dataset, String uri, String project, String feedback, Long feedbackUntilMillis,
                            String format, String stored) {
    public SnapshotInput(String runId, String dataset, String uri, String project, String feedback, Long feedbackUntilMillis,
                         String format) {
        this(runId, dataset, uri, project, feedback, feedbackUntilMillis, format, null);
    }

    public SnapshotInput(String runId, String dataset, String uri, String project, String feedback, Long feedbackUntilMillis) {
        this(runId, dataset, uri, project, feedback, feedbackUntilMillis, null);
    }

    /** The snapshot {@code sha256} of {@code dataset}, taken again as it is (a reproduction). */
    public static SnapshotInput stored(String runId, String dataset, String project, String sha256) {
        return new SnapshotInput(runId, dataset, dev.trainlayer.workflows.artifact.Keys.datasetData(dataset, sha256), project, null,
                null, null, sha256);
    }

    public SnapshotInput(String runId, String dataset, String uri, String project) {
        this(runId, dataset, uri, project, null, null);
    }

    /** Whether the source is Parquet ({@code data.format: parquet}); CSV otherwise. */
    public boolean parquet() {
        return "parquet".equalsIgnoreCase(format);
    }

    public SnapshotInput withUri(String other) {
        return new SnapshotInput(runId, dataset, other, project, feedback, feedbackUntilMillis, format, stored);
    }

    public SnapshotInput withFormat(String format) {
        return new SnapshotInput(runId, dataset, uri, project, feedback, feedbackUntilMillis, format, stored);
    }

    public SnapshotInput(String runId, String dataset, String uri) {
        this(runId, dataset, uri, null);
    }
}
