package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;

/**
 * An immutable dataset version. {@code sha256} is the version recorded on every model built from it;
 * the full schema and profile stay in the store ({@code schema}, {@code profile}) to keep payloads small.
 */
public record SnapshotResult(
        ArtifactRef data,
        String sha256,
        long rows,
        int columns,
        ArtifactRef schema,
        ArtifactRef profile) {}
