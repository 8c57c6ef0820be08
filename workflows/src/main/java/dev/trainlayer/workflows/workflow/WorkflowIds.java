package dev.trainlayer.workflows.workflow;

/** Business workflow ids: findable by name in the Temporal UI, and unique per run / per model. */
public final class WorkflowIds {
    private WorkflowIds() {}

    public static String retrain(String pipeline, String runId) {
        return "retrain/" + pipeline + "/" + runId;
    }

    /** The workflow id a schedule's action carries; Temporal appends the scheduled time to it for each run. */
    public static String scheduled(String pipeline) {
        return "retrain/" + pipeline + "/scheduled";
    }

    /** The id of a schedule's pipeline. */
    public static String schedule(String pipeline) {
        return "schedule/" + pipeline;
    }

    /**
     * The run id of a run a schedule started: the last part of its workflow id ("scheduled-" + the time
     * Temporal appended), with the characters a run id may not hold removed.
     */
    public static String scheduledRunId(String workflowId) {
        String last = workflowId.substring(workflowId.lastIndexOf('/') + 1);
        return last.replaceAll("[^A-Za-z0-9._-]", "");
    }

    /** A batch scoring job of a model ({@code project/model}). */
    public static String score(String registry, String jobId) {
        return "score/" + registry + "/" + jobId;
    }

    public static String registry(String model) {
        return "registry/" + model;
    }

    /** The workflow that delivers one event to a project's webhooks: one per event, so a retried publish is a no-op. */
    public static String notify(String project, String eventId) {
        return "notify/" + (project == null ? dev.trainlayer.workflows.artifact.Projects.DEFAULT : project) + "/" + eventId;
    }

    /** A pipeline's monitor ({@code project/pipeline}): one per pipeline, so triggers never run twice. */
    public static String monitor(String pipeline) {
        return "monitor/" + pipeline;
    }
}
