package dev.trainlayer.scoring;


/**
 * A loaded model. {@link #predict} returns class probabilities ({@code [rows][classes]}) for
 * classification and {@code [rows][1]} values for regression.
 */
public interface TrainedModel extends AutoCloseable {
    double[][] predict(Matrix features);

    @Override
    void close();
}
