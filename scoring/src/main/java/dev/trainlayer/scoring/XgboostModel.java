package dev.trainlayer.scoring;

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

    /** Native threads per booster: {@code trainlayer.xgboost.nthread}, else every core. */
    public static int threads() {
        return Integer.getInteger("trainlayer.xgboost.nthread", Runtime.getRuntime().availableProcessors());
    }

    /** The matrix as XGBoost's, missing values NaN, with its labels. */
    public static DMatrix matrix(Matrix m) throws XGBoostError {
        DMatrix d = new DMatrix(m.values(), m.rows(), m.cols(), Float.NaN);
        d.setLabel(m.labels());
        return d;
    }

    public static XgboostModel load(byte[] modelJson, XgboostMetadata metadata) {
        try {
            Booster booster = XGBoost.loadModel(modelJson);
            booster.setParam("nthread", threads());
            return new XgboostModel(booster, metadata);
        } catch (XGBoostError | IOException e) {
            throw new IllegalStateException("cannot load XGBoost model: " + e.getMessage(), e);
        }
    }

    @Override
    public double[][] predict(Matrix features) {
        return predict(booster, metadata, features);
    }

    public static double[][] predict(Booster booster, XgboostMetadata metadata, Matrix x) {
        DMatrix d = null;
        try {
            // Without labels: rows being served have none (NaN), which XGBoost refuses as labels.
            d = new DMatrix(x.values(), x.rows(), x.cols(), Float.NaN);
            return predict(booster, metadata, d, x.rows());
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        } finally {
            if (d != null) {
                d.dispose();
            }
        }
    }

    /**
     * Class probabilities (or values) for the {@code rows} rows of {@code d}, a matrix the caller owns: during training,
     * the validation matrix the booster already evaluates, whose predictions XGBoost keeps, so predicting with every
     * round so far costs nothing more.
     */
    public static double[][] predict(Booster booster, XgboostMetadata metadata, DMatrix d, int rows) {
        try {
            float[][] raw = booster.predict(d, false, metadata.bestIteration() + 1);
            double[][] out = new double[rows][];
            for (int i = 0; i < rows; i++) {
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
        }
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
