/**
 * Training: the DJL MLP trainer and the XGBoost trainer, model loading for inference, checkpoints and the
 * trial activity that heartbeats and resumes. DJL objects own native memory: always try-with-resources.
 */
package dev.trainlayer.activities.train;
