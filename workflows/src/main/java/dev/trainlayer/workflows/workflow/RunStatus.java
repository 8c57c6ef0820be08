package dev.trainlayer.workflows.workflow;

/** A run's outcome as users see it. REJECTED is a completed run whose model did not become champion. */
public enum RunStatus {
    RUNNING, SUCCEEDED, REJECTED, FAILED, CANCELLED
}
