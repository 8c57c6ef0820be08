package dev.trainlayer.workflows.workflow;

/** Business workflow ids: findable by name in the Temporal UI, and unique per run / per model. */
public final class WorkflowIds {
    private WorkflowIds() {}

    public static String retrain(String pipeline, String runId) {
        return "retrain/" + pipeline + "/" + runId;
    }

    public static String registry(String model) {
        return "registry/" + model;
    }
}
