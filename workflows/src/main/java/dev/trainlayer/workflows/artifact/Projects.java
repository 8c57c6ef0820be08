package dev.trainlayer.workflows.artifact;

/**
 * Projects partition everything a key can reach: a pipeline or model name is unique within its project, and
 * its store keys and workflow ids carry the project ({@code models/{project}/{model}/…},
 * {@code retrain/{project}/{pipeline}/{runId}}). Runs started before projects existed carry none and keep the
 * old, unqualified layout, so their histories replay and their objects stay where they are.
 */
public final class Projects {
    /** The project of the keys {@code ./trainlayer dev} and {@code demo} create. */
    public static final String DEFAULT = "default";

    private Projects() {}

    /** The name as the store and Temporal know it: {@code project/name}, or the bare name for legacy runs. */
    public static String qualify(String project, String name) {
        return project == null || name == null ? name : project + "/" + name;
    }
}
