package dev.trainlayer.workflows.registry;

/** What became of a registry command: applied (with the version it concerns) or refused, with why. */
public record CommandOutcome(String requestId, boolean applied, Integer version, String failureType, String message) {}
