package dev.trainlayer.workflows.activity;

/**
 * A trial's validation metric at {@code step} (an epoch or a boosting round): the value at its best epoch
 * so far, i.e. what the trial would report if it stopped there. Pruning compares trials by these.
 */
public record IntermediateValue(int step, double value) {}
