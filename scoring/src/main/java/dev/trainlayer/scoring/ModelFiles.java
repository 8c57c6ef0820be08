package dev.trainlayer.scoring;

import dev.trainlayer.store.ArtifactCorruptException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.ModelType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files that make a stored model, and the one digest that covers them: the sha256 of
 * {@code "name sha256\n"} per file, in this order. A trial records it in its model reference; the version
 * registered from the trial keeps it; every load recomputes it from what the store returns, so a model whose
 * weights or trees changed in the store is refused ({@code ARTIFACT_CORRUPT}) instead of scoring.
 */
public final class ModelFiles {
    private ModelFiles() {}

    public static List<String> names(ModelType type) {
        return switch (type) {
            case MLP -> List.of("architecture.json", "model.params");
            case XGBOOST, LINEAR, FOREST -> List.of("xgboost.json", "model.json");
        };
    }

    /** The digest over the files' own sha256s (name → sha256, in {@link #names} order). */
    public static String digest(Map<String, String> fileSha256) {
        StringBuilder lines = new StringBuilder();
        fileSha256.forEach((name, sha) -> lines.append(name).append(' ').append(sha).append('\n'));
        return ObjectStore.sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the model's files under {@code model}'s prefix and checks them against its digest (when it has
     * one; models stored before digests were recorded have none).
     */
    public static Map<String, byte[]> read(ObjectStore store, ModelType type, ArtifactRef model) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, String> shas = new LinkedHashMap<>();
        for (String name : names(type)) {
            byte[] bytes = store.getBytes(model.bucket(), model.key() + name);
            files.put(name, bytes);
            shas.put(name, ObjectStore.sha256(bytes));
        }
        String actual = digest(shas);
        if (model.sha256() != null && !model.sha256().equalsIgnoreCase(actual)) {
            throw new ArtifactCorruptException(model.uri() + " (" + String.join(", ", names(type)) + ")", model.sha256(), actual);
        }
        return files;
    }
}
