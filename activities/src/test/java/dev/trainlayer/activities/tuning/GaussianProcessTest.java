package dev.trainlayer.activities.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {
    @Test
    void theLikelihoodGradientMatchesFiniteDifferences() {
        Random r = new Random(3);
        int n = 30;
        int d = 4;
        double[][] x = new double[n][d];
        double[] z = new double[n];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < d; i++) {
                x[a][i] = r.nextDouble();
            }
            z[a] = Math.sin(3 * x[a][0]) + x[a][1] * x[a][1] + 0.1 * r.nextGaussian();
        }
        double[] theta = {Math.log(0.3), Math.log(0.7), Math.log(1.5), Math.log(0.2), Math.log(0.8), Math.log(0.01)};
        double[] gradient = new double[theta.length];
        GaussianProcess.negativeLogLikelihood(x, z, theta, gradient);
        for (int i = 0; i < theta.length; i++) {
            double h = 1e-5;
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (GaussianProcess.negativeLogLikelihood(x, z, up, new double[theta.length])
                    - GaussianProcess.negativeLogLikelihood(x, z, down, new double[theta.length])) / (2 * h);
            assertEquals(numeric, gradient[i], 1e-4 * Math.max(1, Math.abs(numeric)), "component " + i);
        }
    }

    @Test
    void fittingRecoversTheRelevantInputs() {
        // y depends on input 0 only: its length scale must come out much shorter than the others'.
        Random r = new Random(5);
        int n = 40;
        double[][] x = new double[n][3];
        double[] y = new double[n];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < 3; i++) {
                x[a][i] = r.nextDouble();
            }
            y[a] = Math.sin(6 * x[a][0]);
        }
        double[] lengths = GaussianProcess.fit(x, y, new Random(1)).lengthScales();
        assertTrue(lengths[0] * 5 < lengths[1] && lengths[0] * 5 < lengths[2], java.util.Arrays.toString(lengths));
    }
}
