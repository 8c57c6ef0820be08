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

    /**
     * An optimized model's files (see {@code Optimization}): a network's {@link PackedWeights}, or the pruned trees as
     * XGBoost's JSON model, gzip-compressed (XGBoost's binary UBJSON is no smaller than its JSON for trees; gzip is a
     * third of it, and any serving system can read it back with a stock gunzip).
     */
    public static List<String> optimizedNames(ModelType type) {
        return switch (type) {
            case MLP -> List.of("architecture.json", "model.packed");
            case XGBOOST, LINEAR, FOREST -> List.of("xgboost.json", "model.json.gz");
        };
    }

    /** The files of {@code artifacts}: the model as trained, or its optimized form. */
    public static List<String> names(dev.trainlayer.workflows.activity.ModelArtifacts artifacts) {
        return artifacts.hasOptimizedFiles() ? optimizedNames(artifacts.type()) : names(artifacts.type());
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
        return read(store, names(type), model);
    }

    /** The files of {@code artifacts}, checked against its digest. */
    public static Map<String, byte[]> read(ObjectStore store, dev.trainlayer.workflows.activity.ModelArtifacts artifacts) {
        return read(store, names(artifacts), artifacts.model());
    }

    private static Map<String, byte[]> read(ObjectStore store, List<String> names, ArtifactRef model) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, String> shas = new LinkedHashMap<>();
        for (String name : names) {
            byte[] bytes = store.getBytes(model.bucket(), model.key() + name);
            files.put(name, bytes);
            shas.put(name, ObjectStore.sha256(bytes));
        }
        String actual = digest(shas);
        if (model.sha256() != null && !model.sha256().equalsIgnoreCase(actual)) {
            throw new ArtifactCorruptException(model.uri() + " (" + String.join(", ", names) + ")", model.sha256(), actual);
        }
        return files;
    }
}
