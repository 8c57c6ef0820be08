package dev.trainlayer.workflows.registry;

/** Copy a registered model's files into {@code models/{model}/versions/{n}/} with its card and provenance. */
public record PublishInput(int version, RegisterRequest request, long registeredAtMillis) {}
