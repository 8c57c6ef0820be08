package dev.trainlayer.workflows.activity;

/**
 * Something wrong with a training trial, seen at {@code epoch}: {@code event} is the webhook event
 * ({@code trial.anomaly}); {@code kind} says which ({@code non-finite}, {@code divergence}, {@code plateau}).
 * {@code id} is stable (run, trial, kind), so a retried attempt that sees the same thing raises the same alert.
 */
public record TrialAlert(String id, String event, String kind, int epoch, String message, long atMillis) {}
