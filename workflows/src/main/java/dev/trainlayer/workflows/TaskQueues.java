package dev.trainlayer.workflows;

/** Task queue names, shared by workers (polling) and workflows (routing). */
public final class TaskQueues {
    /** Workflows and light activities: snapshot, validation, features, evaluation, registry. */
    public static final String CONTROL = "trainlayer";
    /** Training trials on CPU; worker concurrency is sized to cores so trials don't fight for them. */
    public static final String TRAIN = "trainlayer-train";
    /** Training trials that need a GPU; only workers whose DJL engine sees a GPU poll it. */
    public static final String TRAIN_GPU = "trainlayer-train-gpu";

    private TaskQueues() {}
}
