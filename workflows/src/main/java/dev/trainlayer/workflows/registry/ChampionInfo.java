package dev.trainlayer.workflows.registry;

/** The current champion of a model, or {@code version == null} when it has none. */
public record ChampionInfo(String model, ModelVersion version) {
    public boolean exists() {
        return version != null;
    }
}
