package dev.trainlayer.workflows.workflow;

/** Where a run is. Exposed through the {@code status} query and the {@code TrainlayerPhase} search attribute. */
public enum Phase {
    STARTING, SNAPSHOT, VALIDATE, FEATURES, TRAINING, EVALUATE, GATES, OPTIMIZE, REGISTER, AWAITING_APPROVAL, PROMOTE, DONE
}
