/**
 * Workflow interfaces and their deterministic implementations, with the activity options they use.
 * Everything here runs inside Temporal's replay: no I/O, clocks, randomness, threads or configuration
 * reads except through {@code io.temporal.workflow.Workflow}; never import activity implementations, DJL,
 * XGBoost, MinIO or Micronaut.
 */
package dev.trainlayer.workflows.workflow;
