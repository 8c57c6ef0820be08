package dev.trainlayer.activities.tuning;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Standard optimization benchmarks with known minima (also used by the bench harness). */
public final class TestFunctions {
    private TestFunctions() {}

    public record Problem(String name, SearchSpace space, ToDoubleFunction<Map<String, Object>> f, double minimum) {}

    static double d(Map<String, Object> p, String k) {
        return ((Number) p.get(k)).doubleValue();
    }

    /** Branin on [-5, 10] × [0, 15]; global minimum 0.397887 at three points. */
    public static final Problem BRANIN = new Problem("branin",
            new SearchSpace(List.of(new Dimension.Float("x1", -5, 10, false), new Dimension.Float("x2", 0, 15, false))),
            p -> {
                double x1 = d(p, "x1");
                double x2 = d(p, "x2");
                double b = 5.1 / (4 * Math.PI * Math.PI);
                double c = 5 / Math.PI;
                double t = 1 / (8 * Math.PI);
                return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
            }, 0.397887357729738);

    private static final double[] H_ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] H_A = {
        {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] H_P = {
        {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886}, {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
        {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650}, {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

    /** Hartmann-6 on [0, 1]^6; global minimum -3.32237. */
    public static final Problem HARTMANN6 = new Problem("hartmann6", new SearchSpace(List.of(
            new Dimension.Float("x1", 0, 1, false), new Dimension.Float("x2", 0, 1, false), new Dimension.Float("x3", 0, 1, false),
            new Dimension.Float("x4", 0, 1, false), new Dimension.Float("x5", 0, 1, false), new Dimension.Float("x6", 0, 1, false))),
            p -> {
                double sum = 0;
                for (int i = 0; i < 4; i++) {
                    double inner = 0;
                    for (int j = 0; j < 6; j++) {
                        double x = d(p, "x" + (j + 1));
                        inner += H_A[i][j] * Math.pow(x - H_P[i][j], 2);
                    }
                    sum += H_ALPHA[i] * Math.exp(-inner);
                }
                return -sum;
            }, -3.32237);

    /**
     * A mixed space like a real model's: a log-scaled learning-rate-like float, an integer depth and a
     * categorical "optimizer" with one clearly best choice. Minimum 0 at lr = 1e-2, depth = 6, kind = "b".
     */
    public static final Problem MIXED = new Problem("mixed", new SearchSpace(List.of(
            new Dimension.Float("lr", 1e-5, 1, true),
            new Dimension.Int("depth", 1, 12, false),
            new Dimension.Categorical("kind", List.of("a", "b", "c")))),
            p -> {
                double lr = Math.log10(d(p, "lr"));
                double depth = d(p, "depth");
                double penalty = switch (String.valueOf(p.get("kind"))) {
                    case "b" -> 0;
                    case "a" -> 0.5;
                    default -> 1.0;
                };
                return Math.pow(lr + 2, 2) + Math.pow(depth - 6, 2) / 10 + penalty;
            }, 0.0);

    /** Runs an optimizer sequentially for {@code budget} evaluations and returns the best value found. */
    public static double run(Problem problem, Optimizer optimizer, int budget, int batch, double noise, long noiseSeed) {
        java.util.Random noiseRandom = new java.util.Random(noiseSeed);
        java.util.List<Observation> observed = new java.util.ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        while (observed.size() < budget) {
            int q = Math.min(batch, budget - observed.size());
            for (Map<String, Object> p : optimizer.suggest(observed, List.of(), q)) {
                double truth = problem.f().applyAsDouble(p);
                best = Math.min(best, truth);
                observed.add(new Observation(p, truth + noise * noiseRandom.nextGaussian()));
            }
        }
        return best;
    }
}
