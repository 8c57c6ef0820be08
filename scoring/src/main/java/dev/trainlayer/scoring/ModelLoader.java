package dev.trainlayer.scoring;

import ai.djl.Device;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.ModelArtifacts;
import java.util.Map;

/** Loads a stored model (a trial's or a registered version's) by its type and prefix, its files sha256-checked. */
public final class ModelLoader {
    private ModelLoader() {}

    public static TrainedModel load(ObjectStore store, ModelArtifacts artifacts) {
        Map<String, byte[]> files = ModelFiles.read(store, artifacts.type(), artifacts.model());
        return switch (artifacts.type()) {
            case MLP -> MlpModel.load(ScoringJson.read(files.get("architecture.json"), MlpArchitecture.class),
                    files.get("model.params"), Device.cpu());
            case XGBOOST, LINEAR, FOREST -> XgboostModel.load(files.get("model.json"), ScoringJson.read(files.get("xgboost.json"), XgboostMetadata.class));
        };
    }
}
