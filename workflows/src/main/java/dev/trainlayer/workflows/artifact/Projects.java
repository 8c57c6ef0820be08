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

    /** The project of a qualified name ({@code team-a/churn} → {@code team-a}); a legacy bare name is {@link #DEFAULT}'s. */
    public static String projectOf(String qualified) {
        int slash = qualified == null ? -1 : qualified.indexOf('/');
        return slash < 0 ? DEFAULT : qualified.substring(0, slash);
    }

    /** The name within its project ({@code team-a/churn} → {@code churn}). */
    public static String nameOf(String qualified) {
        int slash = qualified == null ? -1 : qualified.indexOf('/');
        return slash < 0 ? qualified : qualified.substring(slash + 1);
    }
}
