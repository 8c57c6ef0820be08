package dev.trainlayer.workflows.registry;

import java.util.List;

/**
 * A model's registry: its versions, the {@code champion} alias, the champions before it (newest last,
 * for one-call rollback) and the audit trail. Carried across continue-as-new.
 */
public record RegistryState(
        String model,
        List<ModelVersion> versions,
        Integer champion,
        List<Integer> championHistory,
        List<AuditEntry> audit) {

    public RegistryState {
        versions = versions == null ? List.of() : List.copyOf(versions);
        championHistory = championHistory == null ? List.of() : List.copyOf(championHistory);
        audit = audit == null ? List.of() : List.copyOf(audit);
    }

    public static RegistryState empty(String model) {
        return new RegistryState(model, List.of(), null, List.of(), List.of());
    }

    public java.util.Optional<ModelVersion> version(int n) {
        return versions.stream().filter(v -> v.version() == n).findFirst();
    }

    public java.util.Optional<ModelVersion> championVersion() {
        return champion == null ? java.util.Optional.empty() : version(champion);
    }
}
