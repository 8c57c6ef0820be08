package dev.trainlayer.workflows.registry;

/**
 * One change sent to a model's registry workflow as a signal. Exactly one of the requests is set.
 * {@code requestId} makes it idempotent: a command whose id already has an outcome is ignored, and the
 * sender finds its outcome in {@link RegistryState#outcomes()} by that id.
 */
public record RegistryCommand(String requestId, RegisterRequest register, PromoteRequest promote, RollbackRequest rollback) {

    public static RegistryCommand register(RegisterRequest r) {
        return new RegistryCommand("register:" + r.runId(), r, null, null);
    }

    public static RegistryCommand promote(String requestId, PromoteRequest r) {
        return new RegistryCommand(requestId, null, r, null);
    }

    public static RegistryCommand rollback(String requestId, RollbackRequest r) {
        return new RegistryCommand(requestId, null, null, r);
    }
}
