package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;

/** What a batch scoring job did: rows read, rows scored, rows that failed (with their error in the output), and where. */
public record BatchScoreResult(int rows, int scored, int failed, ArtifactRef output, ArtifactRef log) {}
