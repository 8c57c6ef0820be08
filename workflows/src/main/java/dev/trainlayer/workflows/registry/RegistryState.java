package dev.trainlayer.workflows.registry;

import java.util.List;
import java.util.Optional;

/**
 * A model's registry: its versions, the {@code champion} alias, the champions before it (newest last,
 * for one-call rollback), the audit trail and the outcomes of recent commands. Carried across
 * continue-as-new.
 */
public record RegistryState(
        String model,
        List<ModelVersion> versions,
        Integer champion,
        List<Integer> championHistory,
        List<AuditEntry> audit,
        List<CommandOutcome> outcomes) {

    /** Outcomes kept for senders to find; older ones are dropped at continue-as-new size. */
    public static final int MAX_OUTCOMES = 500;

    public RegistryState {
        versions = versions == null ? List.of() : List.copyOf(versions);
        championHistory = championHistory == null ? List.of() : List.copyOf(championHistory);
        audit = audit == null ? List.of() : List.copyOf(audit);
        outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
    }

    public static RegistryState empty(String model) {
        return new RegistryState(model, List.of(), null, List.of(), List.of(), List.of());
    }

    public Optional<ModelVersion> version(int n) {
        return versions.stream().filter(v -> v.version() == n).findFirst();
    }

    public Optional<ModelVersion> championVersion() {
        return champion == null ? Optional.empty() : version(champion);
    }

    public Optional<CommandOutcome> outcome(String requestId) {
        return outcomes.stream().filter(o -> o.requestId().equals(requestId)).findFirst();
    }
}
