package dev.trainlayer.activities.train;

/**
 * Heartbeat details of a training trial: the last completed epoch, the checkpoint that records it and
 * the epoch's validation metric. A retried attempt reads them to resume instead of starting over.
 */
public record TrialProgress(int epoch, String checkpoint, Double validationMetric) {}
