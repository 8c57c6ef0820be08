package dev.trainlayer.workflows.registry;

/**
 * Move the champion back: to {@code toVersion}, or to the previous champion when it is null. {@code action} is the
 * audit entry's action: {@code ROLLBACK} (the default) or {@code AUTO_ROLLBACK} for a monitor's.
 */
public record RollbackRequest(String model, Integer toVersion, String actor, String reason, String action) {
    public static final String AUTO = "AUTO_ROLLBACK";

    public RollbackRequest(String model, Integer toVersion, String actor, String reason) {
        this(model, toVersion, actor, reason, null);
    }
}
