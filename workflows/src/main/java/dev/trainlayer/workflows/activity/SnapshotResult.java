package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;

/**
 * An immutable dataset version. {@code sha256} is the version recorded on every model built from it;
 * the full schema and profile stay in the store ({@code schema}, {@code profile}) to keep payloads small.
 * {@code rows} counts the feedback rows too; {@code feedbackRows} of them came from {@code feedbackParts} feedback
 * parts, listed with their row counts in {@code feedbackManifest} (null when the snapshot took no feedback).
 */
public record SnapshotResult(
        ArtifactRef data,
        String sha256,
        long rows,
        int columns,
        ArtifactRef schema,
        ArtifactRef profile,
        Long feedbackRows,
        Integer feedbackParts,
        ArtifactRef feedbackManifest) {

    public SnapshotResult(ArtifactRef data, String sha256, long rows, int columns, ArtifactRef schema, ArtifactRef profile) {
        this(data, sha256, rows, columns, schema, profile, null, null, null);
    }
}
