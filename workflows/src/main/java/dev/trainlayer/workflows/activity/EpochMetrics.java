package dev.trainlayer.workflows.activity;

/** One point of a learning curve (an epoch for the MLP, a boosting round for XGBoost). */
public record EpochMetrics(int epoch, double trainLoss, double validationLoss, double validationMetric) {}
