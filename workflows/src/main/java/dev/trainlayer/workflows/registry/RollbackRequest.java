package dev.trainlayer.workflows.registry;

/** Move the champion back: to {@code toVersion}, or to the previous champion when it is null. */
public record RollbackRequest(String model, Integer toVersion, String actor, String reason) {}
