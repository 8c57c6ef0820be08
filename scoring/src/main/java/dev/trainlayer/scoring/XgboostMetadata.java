package dev.trainlayer.scoring;

import dev.trainlayer.workflows.spec.Task;

/**
 * Stored beside {@code model.json}: how to read the booster's output. Predictions use the trees up to
 * {@code bestIteration} (early stopping keeps a few rounds past it in the saved booster). A linear booster
 * ({@code gblinear}, which XGBoost always predicts with all its rounds) is saved as it was at
 * {@code bestIteration}; {@code rounds} still counts the rounds trained.
 */
public record XgboostMetadata(int formatVersion, Task task, int classes, int inputs, int bestIteration, int rounds,
                              String evalMetric) {}
