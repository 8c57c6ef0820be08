package dev.trainlayer.activities.train;

import ai.djl.Device;
import dev.trainlayer.activities.Json;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.ModelArtifacts;

/** Loads a stored model (a trial's or a registered version's) by its type and prefix. */
public final class ModelLoader {
    private ModelLoader() {}

    public static TrainedModel load(ObjectStore store, ModelArtifacts artifacts) {
        String bucket = artifacts.model().bucket();
        String prefix = artifacts.model().key();
        return switch (artifacts.type()) {
            case MLP -> MlpModel.load(
                    Json.read(store.getBytes(bucket, prefix + "architecture.json"), MlpArchitecture.class),
                    store.getBytes(bucket, prefix + "model.params"), Device.cpu());
            case XGBOOST -> XgboostModel.load(
                    store.getBytes(bucket, prefix + "model.json"),
                    Json.read(store.getBytes(bucket, prefix + "xgboost.json"), XgboostMetadata.class));
        };
    }
}
