package dev.trainlayer.workflows;

/**
 * Stable, non-retryable failure types. Clients match on these strings, so they never change meaning.
 * Anything not listed here is treated as transient and retried with backoff.
 */
public final class FailureTypes {
    public static final String INVALID_SPEC = "INVALID_SPEC";
    public static final String DATASET_NOT_FOUND = "DATASET_NOT_FOUND";
    public static final String DATA_INVALID = "DATA_INVALID";
    public static final String TRAINING_DIVERGED = "TRAINING_DIVERGED";
    public static final String NO_SUCCESSFUL_TRIAL = "NO_SUCCESSFUL_TRIAL";
    public static final String GPU_UNAVAILABLE = "GPU_UNAVAILABLE";
    public static final String MODEL_VERSION_NOT_FOUND = "MODEL_VERSION_NOT_FOUND";
    public static final String NO_ROLLBACK_TARGET = "NO_ROLLBACK_TARGET";
    /**
     * An artifact the run wrote earlier is gone from the store (a lifecycle rule, a manual delete). Retrying
     * cannot bring it back: restore it (bucket versioning, a backup) and reset the run, or start a new one.
     */
    public static final String ARTIFACT_MISSING = "ARTIFACT_MISSING";
    /**
     * Incremental training was asked to continue a model whose inputs or outputs do not match the encoded
     * data (the model files and their feature pipeline disagree). Train from scratch instead.
     */
    public static final String INCOMPATIBLE_MODEL = "INCOMPATIBLE_MODEL";
    /**
     * The spec's {@code data.uri} names an object its project may not read: the store's own objects, another
     * project's uploads, or a prefix no admin configured for the project. The message says what it may read.
     */
    public static final String DATA_ACCESS_DENIED = "DATA_ACCESS_DENIED";
    /**
     * An artifact read back does not match the sha256 recorded when it was written (tampered with, or damaged
     * in the store). The message names the key; restore the object from a backup or retrain.
     */
    public static final String ARTIFACT_CORRUPT = "ARTIFACT_CORRUPT";

    /**
     * A webhook receiver refused a delivery with a client error (4xx other than 408 and 429): its URL or
     * configuration is wrong, and sending the same body again will not change that. Recorded in its deliveries.
     */
    public static final String WEBHOOK_REJECTED = "WEBHOOK_REJECTED";

    /** Every type above: the activity retry policies list them as non-retryable. */
    public static final String[] ALL = {
        INVALID_SPEC, DATASET_NOT_FOUND, DATA_INVALID, TRAINING_DIVERGED, NO_SUCCESSFUL_TRIAL,
        GPU_UNAVAILABLE, MODEL_VERSION_NOT_FOUND, NO_ROLLBACK_TARGET, ARTIFACT_MISSING, INCOMPATIBLE_MODEL,
        DATA_ACCESS_DENIED, ARTIFACT_CORRUPT, WEBHOOK_REJECTED
    };

    private FailureTypes() {}
}
