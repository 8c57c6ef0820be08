package dev.trainlayer.workflows.registry;

/** Make {@code version} the champion. */
public record PromoteRequest(String model, int version, String actor, String reason) {}
