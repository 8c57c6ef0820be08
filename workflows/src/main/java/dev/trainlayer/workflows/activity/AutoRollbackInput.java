package dev.trainlayer.workflows.activity;

/** Roll {@code registry}'s champion {@code fromVersion} back to the previous champion; {@code reason} holds the evidence. */
public record AutoRollbackInput(String registry, int fromVersion, String actor, String reason, String requestId) {}
