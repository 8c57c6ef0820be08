package dev.trainlayer.activities.tuning;

import java.util.Arrays;
import java.util.Random;

/**
 * A Gaussian process on the unit cube: Matérn-5/2 kernel with one length scale per input (ARD), a
 * signal variance and a noise variance, on standardized targets with a constant mean. Hyperparameters
 * maximize the log marginal likelihood with its analytic gradient (bounded L-BFGS from several starts,
 * within bounds that keep the model sane on few points).
 */
public final class GaussianProcess {
    static final double MIN_LOG_LENGTH = Math.log(0.01);
    static final double MAX_LOG_LENGTH = Math.log(20);
    static final double MIN_LOG_SIGNAL = Math.log(0.05);
    static final double MAX_LOG_SIGNAL = Math.log(20);
    static final double MIN_LOG_NOISE = Math.log(1e-6);
    static final double MAX_LOG_NOISE = Math.log(1.0);

    private final double[][] x;
    private final double[] lengths;
    private final double signal;
    private final double noise;
    private final double mean;
    private final double scale;
    private final double[][] chol;
    private final double[] alpha;

    private GaussianProcess(double[][] x, double[] y, double[] lengths, double signal, double noise) {
        this.x = x;
        this.lengths = lengths;
        this.signal = signal;
        this.noise = noise;
        this.mean = mean(y);
        this.scale = scale(y, mean);
        Fit fit = factor(x, standardize(y, mean, scale), lengths, signal, noise);
        this.chol = fit.chol;
        this.alpha = fit.alpha;
    }

    private static double mean(double[] y) {
        return Arrays.stream(y).average().orElse(0);
    }

    private static double scale(double[] y, double mean) {
        double var = Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, y.length);
        return var > 1e-24 ? Math.sqrt(var) : 1;
    }

    private static double[] standardize(double[] y, double mean, double scale) {
        return Arrays.stream(y).map(v -> (v - mean) / scale).toArray();
    }

    /** Fits the hyperparameters to {@code (x, y)}. Deterministic for a given {@code random} state. */
    public static GaussianProcess fit(double[][] x, double[] y, Random random) {
        return fit(x, y, random, null);
    }

    /**
     * The same, with the first of the three starts at {@code from} (log length scales, log signal, log noise, as
     * {@link #logHyperparameters} gives them) when it has this data's dimensions: a fit of the previous observations,
     * usually near the optimum for a few more.
     */
    public static GaussianProcess fit(double[][] x, double[] y, Random random, double[] from) {
        int d = x[0].length;
        double mean = mean(y);
        double[] z = standardize(y, mean, scale(y, mean));
        int params = d + 2;
        double[] lower = new double[params];
        double[] upper = new double[params];
        Arrays.fill(lower, 0, d, MIN_LOG_LENGTH);
        Arrays.fill(upper, 0, d, MAX_LOG_LENGTH);
        lower[d] = MIN_LOG_SIGNAL;
        upper[d] = MAX_LOG_SIGNAL;
        lower[d + 1] = MIN_LOG_NOISE;
        upper[d + 1] = MAX_LOG_NOISE;
        // The best point any evaluation saw: a start that stops at its evaluation cap still counts.
        double[][] seen = {null};
        double[] seenValue = {Double.POSITIVE_INFINITY};
        BoundedLbfgs.Function negativeLml = (theta, gradient) -> {
            double v = negativeLogLikelihood(x, z, theta, gradient);
            if (v < seenValue[0]) {
                seenValue[0] = v;
                seen[0] = theta.clone();
            }
            return v;
        };
        int starts = 3;
        for (int s = 0; s < starts; s++) {
            double[] start = new double[params];
            for (int i = 0; i < d; i++) {
                start[i] = s == 0 ? Math.log(0.5) : lower[i] + (0.2 + 0.6 * random.nextDouble()) * (upper[i] - lower[i]);
            }
            start[d] = s == 0 ? 0 : Math.log(0.5 + random.nextDouble());
            start[d + 1] = s == 0 ? Math.log(1e-3) : Math.log(1e-4 + 0.05 * random.nextDouble());
            if (s == 0 && from != null && from.length == params) {
                for (int i = 0; i < params; i++) {
                    start[i] = Math.max(lower[i], Math.min(upper[i], from[i]));
                }
            }
            BoundedLbfgs.minimize(negativeLml, start, lower, upper, 40);
        }
        return with(x, y, seen[0]);
    }

    /** The hyperparameters as {@link #fit(double[][], double[], Random, double[])} starts from them: log lengths, log signal, log noise. */
    public double[] logHyperparameters() {
        double[] out = new double[lengths.length + 2];
        for (int i = 0; i < lengths.length; i++) {
            out[i] = Math.log(lengths[i]);
        }
        out[lengths.length] = Math.log(signal);
        out[lengths.length + 1] = Math.log(noise);
        return out;
    }

    /** A process with the given hyperparameters ({@link #logHyperparameters}) on {@code x}, {@code y}, without fitting them. */
    public static GaussianProcess with(double[][] x, double[] y, double[] log) {
        int d = x[0].length;
        double[] lengths = new double[d];
        for (int i = 0; i < d; i++) {
            lengths[i] = Math.exp(log[i]);
        }
        return new GaussianProcess(x, y, lengths, Math.exp(log[d]), Math.exp(log[d + 1]));
    }

    /** The same hyperparameters on other data (used for constant-liar batches). */
    public GaussianProcess withData(double[][] newX, double[] newY) {
        return new GaussianProcess(newX, newY, lengths, signal, noise);
    }

    public double[] lengthScales() {
        return lengths.clone();
    }

    /** Posterior mean and standard deviation of the latent function at {@code p}, in the targets' units. */
    public double[] predict(double[] p) {
        int n = x.length;
        double[] k = new double[n];
        for (int i = 0; i < n; i++) {
            k[i] = kernel(p, x[i], lengths, signal);
        }
        double mu = 0;
        for (int i = 0; i < n; i++) {
            mu += k[i] * alpha[i];
        }
        double[] v = forwardSolve(chol, k);
        double var = signal;
        for (double vi : v) {
            var -= vi * vi;
        }
        return new double[] {mean + scale * mu, scale * Math.sqrt(Math.max(var, 1e-12))};
    }

    static double kernel(double[] a, double[] b, double[] lengths, double signal) {
        double r2 = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] - b[i]) / lengths[i];
            r2 += d * d;
        }
        double r = Math.sqrt(5 * r2);
        return signal * (1 + r + r * r / 3) * Math.exp(-r);
    }

    private record Fit(double[][] chol, double[] alpha, double logLikelihood) {}

    private static Fit factor(double[][] x, double[] z, double[] lengths, double signal, double noise) {
        int n = x.length;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = kernel(x[i], x[j], lengths, signal);
                k[i][j] = v;
                k[j][i] = v;
            }
            k[i][i] += noise + 1e-10;
        }
        double[][] l = cholesky(k);
        if (l == null) {
            return new Fit(null, null, Double.NEGATIVE_INFINITY);
        }
        double[] alpha = backSolve(l, forwardSolve(l, z));
        double fit = 0;
        for (int i = 0; i < n; i++) {
            fit += z[i] * alpha[i];
        }
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            logDet += 2 * Math.log(l[i][i]);
        }
        return new Fit(l, alpha, -0.5 * fit - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI));
    }

    /**
     * −log p(z | θ) for θ = (log length scales, log signal, log noise), and its gradient into {@code gradient}:
     * ∂/∂θ = −½ tr((ααᵀ − K⁻¹) ∂K/∂θ), with ∂K/∂log ℓᵢ = s·(5/3)(1 + r)e^{−r}·Δᵢ²/ℓᵢ² for Matérn-5/2.
     * +∞ where K is not positive definite.
     */
    static double negativeLogLikelihood(double[][] x, double[] z, double[] theta, double[] gradient) {
        int n = x.length;
        int d = x[0].length;
        double[] lengths = new double[d];
        double[] inv2 = new double[d];
        for (int i = 0; i < d; i++) {
            lengths[i] = Math.exp(theta[i]);
            inv2[i] = 1 / (lengths[i] * lengths[i]);
        }
        double signal = Math.exp(theta[d]);
        double noise = Math.exp(theta[d + 1]);
        double[][] k = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < a; b++) {
                double r2 = 0;
                for (int i = 0; i < d; i++) {
                    double diff = x[a][i] - x[b][i];
                    r2 += diff * diff * inv2[i];
                }
                double r = Math.sqrt(5 * r2);
                double v = signal * (1 + r + r * r / 3) * Math.exp(-r);
                k[a][b] = v;
                k[b][a] = v;
            }
            k[a][a] = signal + noise + 1e-10;
        }
        double[][] l = cholesky(k);
        if (l == null) {
            Arrays.fill(gradient, 0);
            return Double.POSITIVE_INFINITY;
        }
        double[] alpha = backSolve(l, forwardSolve(l, z));
        double fit = 0;
        double logDet = 0;
        for (int a = 0; a < n; a++) {
            fit += z[a] * alpha[a];
            logDet += 2 * Math.log(l[a][a]);
        }
        // K⁻¹ = L⁻ᵀ L⁻¹, then W = ααᵀ − K⁻¹. t = (L⁻¹)ᵀ, stored by rows so the inner loops run along rows.
        double[][] t = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] tc = t[c];
            tc[c] = 1 / l[c][c];
            for (int a = c + 1; a < n; a++) {
                double[] la = l[a];
                double sum = 0;
                for (int m = c; m < a; m++) {
                    sum -= la[m] * tc[m];
                }
                tc[a] = sum / la[a];
            }
        }
        double[] g = new double[d + 2];
        double traceW = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b <= a; b++) {
                double kinv = 0;
                double[] ta = t[a];
                double[] tb = t[b];
                for (int m = a; m < n; m++) {
                    kinv += ta[m] * tb[m];
                }
                double w = alpha[a] * alpha[b] - kinv;
                if (a == b) {
                    traceW += w;
                    g[d] += w * signal;
                    continue;
                }
                double r2 = 0;
                for (int i = 0; i < d; i++) {
                    double diff = x[a][i] - x[b][i];
                    r2 += diff * diff * inv2[i];
                }
                double r = Math.sqrt(5 * r2);
                double e = Math.exp(-r);
                double base = 2 * w * signal * (5.0 / 3) * (1 + r) * e; // both (a, b) and (b, a)
                for (int i = 0; i < d; i++) {
                    double diff = x[a][i] - x[b][i];
                    g[i] += base * diff * diff * inv2[i];
                }
                g[d] += 2 * w * signal * (1 + r + r * r / 3) * e;
            }
        }
        g[d + 1] = traceW * noise;
        for (int i = 0; i < g.length; i++) {
            gradient[i] = -0.5 * g[i];
        }
        return 0.5 * fit + 0.5 * logDet + 0.5 * n * Math.log(2 * Math.PI);
    }

    /** Lower-triangular L with L Lᵀ = a, or null when a is not positive definite. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                double[] li = l[i];
                double[] lj = l[j];
                for (int k = 0; k < j; k++) {
                    sum -= li[k] * lj[k];
                }
                if (i == j) {
                    if (sum <= 0) {
                        return null;
                    }
                    li[i] = Math.sqrt(sum);
                } else {
                    li[j] = sum / lj[j];
                }
            }
        }
        return l;
    }

    static double[] forwardSolve(double[][] l, double[] b) {
        int n = b.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
        }
        return y;
    }

    static double[] backSolve(double[][] l, double[] y) {
        int n = y.length;
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k][i] * x[k];
            }
            x[i] = sum / l[i][i];
        }
        return x;
    }
}
