package dev.trainlayer.activities.train;

import dev.trainlayer.activities.features.Matrix;
import dev.trainlayer.workflows.spec.Task;
import java.io.IOException;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** A trained XGBoost booster loaded from JSON for inference. */
public final class XgboostModel implements TrainedModel {
    private final Booster booster;
    private final XgboostMetadata metadata;

    private XgboostModel(Booster booster, XgboostMetadata metadata) {
        this.booster = booster;
        this.metadata = metadata;
    }

    public static XgboostModel load(byte[] modelJson, XgboostMetadata metadata) {
        try {
            Booster booster = XGBoost.loadModel(modelJson);
            booster.setParam("nthread", XgboostTrainer.threads());
            return new XgboostModel(booster, metadata);
        } catch (XGBoostError | IOException e) {
            throw new IllegalStateException("cannot load XGBoost model: " + e.getMessage(), e);
        }
    }

    @Override
    public double[][] predict(Matrix features) {
        return predict(booster, metadata, features);
    }

    static double[][] predict(Booster booster, XgboostMetadata metadata, Matrix x) {
        DMatrix d = null;
        try {
            d = XgboostTrainer.matrix(x);
            float[][] raw = booster.predict(d, false, metadata.bestIteration() + 1);
            double[][] out = new double[x.rows()][];
            for (int i = 0; i < x.rows(); i++) {
                if (metadata.task() == Task.CLASSIFICATION && metadata.classes() == 2) {
                    double p = raw[i][0];
                    out[i] = new double[] {1 - p, p};
                } else {
                    out[i] = new double[raw[i].length];
                    for (int j = 0; j < raw[i].length; j++) {
                        out[i][j] = raw[i][j];
                    }
                }
            }
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        } finally {
            if (d != null) {
                d.dispose();
            }
        }
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
