package dev.trainlayer.scoring;

import ai.djl.Device;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.ModelArtifacts;
import java.util.Map;

/** Loads a stored model (a trial's or a registered version's) by its type and prefix, its files sha256-checked. */
public final class ModelLoader {
    private ModelLoader() {}

    public static TrainedModel load(ObjectStore store, ModelArtifacts artifacts) {
        Map<String, byte[]> files = ModelFiles.read(store, artifacts);
        return load(artifacts.type(), artifacts.hasOptimizedFiles(), files);
    }

    /** A model from its files (see {@link ModelFiles}): as trained, or {@code optimized}. */
    public static TrainedModel load(dev.trainlayer.workflows.spec.ModelType type, boolean optimized, Map<String, byte[]> files) {
        return switch (type) {
            case MLP -> optimized
                    ? SparseMlp.load(ScoringJson.read(files.get("architecture.json"), MlpArchitecture.class), files.get("model.packed"))
                    : MlpModel.load(ScoringJson.read(files.get("architecture.json"), MlpArchitecture.class), files.get("model.params"),
                            Device.cpu());
            case XGBOOST, LINEAR, FOREST -> XgboostModel.load(optimized ? gunzip(files.get("model.json.gz")) : files.get("model.json"),
                    ScoringJson.read(files.get("xgboost.json"), XgboostMetadata.class));
        };
    }

    static byte[] gunzip(byte[] gz) {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the optimized XGBoost model (model.json.gz): " + e.getMessage(), e);
        }
    }
}
