package dev.trainlayer.bench;

import dev.trainlayer.activities.Json;
import dev.trainlayer.activities.tuning.BayesianOptimizer;
import dev.trainlayer.activities.tuning.Observation;
import dev.trainlayer.activities.tuning.Optimizer;
import dev.trainlayer.activities.tuning.RandomSearch;
import dev.trainlayer.activities.tuning.TestFunctions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Regret of the GP optimizer and random search on Branin, Hartmann-6 and a mixed space (seeds × budget,
 * best-so-far recorded at every evaluation), and suggestion latency by history size. Writes JSON that
 * bench/report.py turns into docs/benchmarks.md next to Optuna's and scikit-optimize's numbers.
 */
public final class OptimizerBenchmark {
    private OptimizerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seeds = Integer.parseInt(args.length > 0 ? args[0] : "10");
        int budget = Integer.parseInt(args.length > 1 ? args[1] : "100");
        Path out = Path.of(args.length > 2 ? args[2] : "bench/results/optimizer-java.json");
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Object> regret = new LinkedHashMap<>();
        for (TestFunctions.Problem p : List.of(TestFunctions.BRANIN, TestFunctions.HARTMANN6, TestFunctions.MIXED)) {
            Map<String, Object> byAlgorithm = new LinkedHashMap<>();
            for (String algorithm : List.of("trainlayer-gp-ei", "trainlayer-random")) {
                List<double[]> traces = new ArrayList<>();
                for (int seed = 1; seed <= seeds; seed++) {
                    Optimizer o = algorithm.endsWith("random") ? new RandomSearch(p.space(), seed) : new BayesianOptimizer(p.space(), seed);
                    long t0 = System.nanoTime();
                    traces.add(trace(p, o, budget));
                    System.out.printf("%s %s seed %d: regret@%d %.3g (%.1f s)%n", p.name(), algorithm, seed, budget,
                            traces.get(traces.size() - 1)[budget - 1], (System.nanoTime() - t0) / 1e9);
                }
                byAlgorithm.put(algorithm, traces);
            }
            regret.put(p.name(), byAlgorithm);
        }
        results.put("regret", regret);
        results.put("latencyMs", latency());
        Files.createDirectories(out.getParent());
        Files.write(out, Json.bytes(results));
    }

    /** Regret of the best value found after each evaluation. */
    static double[] trace(TestFunctions.Problem p, Optimizer optimizer, int budget) {
        List<Observation> observed = new ArrayList<>();
        double[] trace = new double[budget];
        double best = Double.POSITIVE_INFINITY;
        while (observed.size() < budget) {
            for (Map<String, Object> params : optimizer.suggest(observed, List.of(), 1)) {
                double v = p.f().applyAsDouble(params);
                best = Math.min(best, v);
                trace[observed.size()] = best - p.minimum();
                observed.add(new Observation(params, v));
            }
        }
        return trace;
    }

    /** Median wall time of one suggestion (fit + acquisition) on Hartmann-6 histories of each size. */
    static Map<String, Object> latency() {
        Map<String, Object> out = new LinkedHashMap<>();
        TestFunctions.Problem p = TestFunctions.HARTMANN6;
        for (int batch : new int[] {1, 4}) {
            Map<String, Double> bySize = new LinkedHashMap<>();
            for (int n : new int[] {25, 50, 100, 200}) {
                Random r = new Random(n);
                List<Observation> history = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Map<String, Object> params = p.space().sample(r);
                    history.add(new Observation(params, p.f().applyAsDouble(params)));
                }
                double[] times = new double[5];
                for (int k = 0; k < times.length; k++) {
                    long t0 = System.nanoTime();
                    new BayesianOptimizer(p.space(), k).suggest(history, List.of(), batch);
                    times[k] = (System.nanoTime() - t0) / 1e6;
                }
                java.util.Arrays.sort(times);
                bySize.put(String.valueOf(n), times[times.length / 2]);
                System.out.printf("latency: %d observations, batch %d: %.0f ms%n", n, batch, times[times.length / 2]);
            }
            out.put("batch" + batch, bySize);
        }
        return out;
    }
}
