package dev.trainlayer.activities.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The optimizer on functions with known minima, fixed seeds. Bounds are set well above what it reaches
 * (see bench/ for the distributions over many seeds) but far below what random search reaches.
 */
class BayesianOptimizerTest {
    static double medianRegret(TestFunctions.Problem p, boolean bayesian, int budget, int batch, double noise, long... seeds) {
        double[] regrets = Arrays.stream(seeds).mapToDouble(seed -> TestFunctions.run(p,
                bayesian ? new BayesianOptimizer(p.space(), seed) : new RandomSearch(p.space(), seed),
                budget, batch, noise, seed) - p.minimum()).sorted().toArray();
        return regrets[regrets.length / 2];
    }

    @Test
    void braninIsSolvedInFortyEvaluations() {
        double gp = medianRegret(TestFunctions.BRANIN, true, 40, 1, 0, 1, 2, 3);
        double random = medianRegret(TestFunctions.BRANIN, false, 40, 1, 0, 1, 2, 3);
        assertTrue(gp < 1e-2, "GP median regret " + gp);
        assertTrue(gp < random / 10, "GP " + gp + " vs random " + random);
    }

    @Test
    void hartmann6IsNearlySolvedInSixtyEvaluations() {
        double gp = medianRegret(TestFunctions.HARTMANN6, true, 60, 1, 0, 1, 2, 3);
        double random = medianRegret(TestFunctions.HARTMANN6, false, 60, 1, 0, 1, 2, 3);
        assertTrue(gp < 0.1, "GP median regret " + gp);
        assertTrue(gp < random, "GP " + gp + " vs random " + random);
    }

    @Test
    void handedOnHyperparametersAreReusedUntilTheObservationsGrowByAFifthAndStillSolveHartmann6() {
        // As the search workflow does: each suggestion a new optimizer, given the fits the previous one used.
        TestFunctions.Problem p = TestFunctions.HARTMANN6;
        double[] regrets = new double[3];
        for (int s = 0; s < 3; s++) {
            long seed = s + 1;
            List<Observation> observed = new ArrayList<>();
            dev.trainlayer.workflows.activity.SurrogateFits fits = null;
            List<Integer> fittedOn = new ArrayList<>();
            double best = Double.POSITIVE_INFINITY;
            while (observed.size() < 60) {
                BayesianOptimizer optimizer = new BayesianOptimizer(p.space(), seed).withBudget(c -> true, 0.5).withFits(fits);
                Map<String, Object> next = optimizer.suggest(observed, List.of(), 1).get(0);
                if (optimizer.fits() != null) {
                    int on = optimizer.fits().objective().observations();
                    if (fits != null && fits.objective() != null && on == fits.objective().observations()) {
                        assertTrue(on >= BayesianOptimizer.REUSE_FROM && observed.size() < on * (1 + BayesianOptimizer.REFIT_GROWTH),
                                () -> "reused at " + observed.size() + " observations a fit of " + on);
                    } else {
                        assertEquals(observed.size(), on, "a new fit is of every observation");
                        fittedOn.add(on);
                    }
                    assertNotNull(optimizer.fits().cost(), "cost counts: its fit is handed on too");
                    BayesianOptimizer again = new BayesianOptimizer(p.space(), seed).withBudget(c -> true, 0.5).withFits(fits);
                    assertEquals(next, again.suggest(observed, List.of(), 1).get(0), "the same inputs, the same suggestion");
                    assertEquals(optimizer.fits(), again.fits(), "and the same fits");
                }
                fits = optimizer.fits();
                double value = p.f().applyAsDouble(next);
                best = Math.min(best, value);
                observed.add(new Observation(next, value, 1 + Math.abs(value)));
            }
            long late = fittedOn.stream().filter(n -> n > BayesianOptimizer.REUSE_FROM).count();
            assertTrue(late <= 8, "fits past 20 observations: " + fittedOn);
            regrets[s] = best - p.minimum();
        }
        Arrays.sort(regrets);
        assertTrue(regrets[1] < 0.1, "median regret with reused fits " + Arrays.toString(regrets));
    }

    @Test
    void noisyObservationsStillLeadToTheMinimum() {
        double gp = medianRegret(TestFunctions.BRANIN, true, 40, 1, 1.0, 4, 5, 6);
        assertTrue(gp < 0.5, "GP median regret with noise sd 1: " + gp);
    }

    @Test
    void mixedIntegerAndCategoricalSpaces() {
        double gp = medianRegret(TestFunctions.MIXED, true, 30, 1, 0, 1, 2, 3);
        double random = medianRegret(TestFunctions.MIXED, false, 30, 1, 0, 1, 2, 3);
        assertTrue(gp < 0.05, "GP median regret " + gp);
        assertTrue(gp < random, "GP " + gp + " vs random " + random);
    }

    @Test
    void batchesWorkToo() {
        double gp = medianRegret(TestFunctions.BRANIN, true, 40, 4, 0, 1, 2, 3);
        assertTrue(gp < 5e-2, "GP median regret with batches of 4: " + gp);
    }

    static List<Observation> history(TestFunctions.Problem p, int n, long seed) {
        Random r = new Random(seed);
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> params = p.space().sample(r);
            out.add(new Observation(params, p.f().applyAsDouble(params)));
        }
        return out;
    }

    @Test
    void batchSuggestionsAreDistinctAndAvoidPendingPoints() {
        TestFunctions.Problem p = TestFunctions.MIXED;
        List<Observation> observed = history(p, 12, 9);
        List<Map<String, Object>> pending = List.of(p.space().sample(new Random(1)), p.space().sample(new Random(2)));
        List<Map<String, Object>> batch = new BayesianOptimizer(p.space(), 3).suggest(observed, pending, 4);
        assertEquals(4, batch.size());
        Set<Map<String, Object>> seen = new HashSet<>(pending);
        observed.forEach(o -> seen.add(o.params()));
        for (Map<String, Object> s : batch) {
            assertTrue(seen.add(s), "suggested twice or already taken: " + s);
        }
    }

    @Test
    void sameSeedAndHistorySameSuggestions() {
        TestFunctions.Problem p = TestFunctions.HARTMANN6;
        List<Observation> observed = history(p, 15, 4);
        assertEquals(new BayesianOptimizer(p.space(), 8).suggest(observed, List.of(), 2),
                new BayesianOptimizer(p.space(), 8).suggest(observed, List.of(), 2));
        assertNotEquals(new BayesianOptimizer(p.space(), 8).suggest(observed, List.of(), 1),
                new BayesianOptimizer(p.space(), 9).suggest(observed, List.of(), 1));
    }

    @Test
    void aRetiredCandidateIsNeverSuggestedInTheDesignOrByTheModel() {
        SearchSpace space = new SearchSpace(List.of(new Dimension.Categorical("candidate", List.of("a", "b")),
                new Dimension.Float("a.x", 0, 1, false), new Dimension.Float("b.x", 0, 1, false)));
        java.util.function.Predicate<Map<String, Object>> onlyB = c -> c.get("candidate").equals("b");
        List<Observation> observed = new ArrayList<>();
        Random r = new Random(5);
        for (int n = 0; n < 16; n++) {
            BayesianOptimizer optimizer = new BayesianOptimizer(space, 11).withBudget(onlyB, 0);
            for (Map<String, Object> c : optimizer.suggest(observed, List.of(), 2)) {
                assertEquals("b", c.get("candidate"), "suggestion " + observed.size() + ": " + c);
                observed.add(new Observation(c, ((Number) c.get("b.x")).doubleValue() + 0.01 * r.nextGaussian()));
            }
        }
        assertEquals(32, new HashSet<>(observed.stream().map(Observation::params).toList()).size(), "no repeats");
        List<Map<String, Object>> random = new RandomSearch(space, 3, onlyB).suggest(List.of(), List.of(), 20);
        assertTrue(random.stream().allMatch(onlyB), random::toString);
    }

    @Test
    void startsComeFirstInOrderOnceEachAndTheDesignFollows() {
        SearchSpace space = new SearchSpace(List.of(new Dimension.Categorical("candidate", List.of("a", "b", "c")),
                new Dimension.Float("a.x", 1e-4, 1, true), new Dimension.Int("a.n", 2, 10, false),
                new Dimension.Categorical("b.layers", List.of(List.of(32), List.of(64, 32))), new Dimension.Float("c.x", 0, 1, false)));
        List<Map<String, Object>> starts = List.of(Map.of("candidate", "a", "a.x", 1e-3, "a.n", 6L),
                Map.of("candidate", "b", "b.layers", List.of(64, 32)), Map.of("candidate", "c"));
        java.util.function.Predicate<Map<String, Object>> notC = c -> !c.get("candidate").equals("c");
        BayesianOptimizer optimizer = new BayesianOptimizer(space, 4).withBudget(notC, 0).withStarts(starts);
        List<Map<String, Object>> first = optimizer.suggest(List.of(), List.of(), 2);
        assertEquals("a", first.get(0).get("candidate"));
        assertEquals(1e-3, first.get(0).get("a.x"), "exactly the start's value, not its round trip through the log scale");
        assertEquals(6, ((Number) first.get(0).get("a.n")).intValue());
        assertEquals("b", first.get(1).get("candidate"));
        assertEquals(List.of(64, 32), first.get(1).get("b.layers"));
        assertEquals(first, new BayesianOptimizer(space, 4).withBudget(notC, 0).withStarts(starts).suggest(List.of(), List.of(), 2),
                "deterministic");

        // One start finished, one running: the next suggestions are the design's, never a start again, and c
        // (its candidate refused) is skipped.
        List<Observation> observed = List.of(new Observation(first.get(0), 1.0));
        List<Map<String, Object>> next = optimizer.suggest(observed, List.of(first.get(1)), 3);
        for (Map<String, Object> c : next) {
            assertTrue(starts.stream().noneMatch(s -> BayesianOptimizer.agrees(c, s)), c::toString);
            assertTrue(notC.test(c), c::toString);
        }
        List<Map<String, Object>> plain = new BayesianOptimizer(space, 4).withBudget(notC, 0).suggest(List.of(), List.of(), 2);
        assertNotEquals(first, plain, "without starts the design's own points");

        // A start the space moves (a fractional integer, a value past a range's end) is still tried once only.
        BayesianOptimizer moved = new BayesianOptimizer(space, 4).withStarts(List.of(Map.of("candidate", "a", "a.x", 5.0, "a.n", 6.4)));
        List<Map<String, Object>> once = new ArrayList<>();
        for (int n = 0; n < 6; n++) {
            once.addAll(moved.suggest(List.of(), once, 1));
        }
        assertEquals(1.0, ((Number) once.get(0).get("a.x")).doubleValue(), 1e-12, "clamped: " + once.get(0));
        assertEquals(6, ((Number) once.get(0).get("a.n")).intValue());
        for (Map<String, Object> c : once.subList(1, once.size())) {
            assertFalse("a".equals(c.get("candidate")) && ((Number) c.get("a.x")).doubleValue() == 1.0
                    && ((Number) c.get("a.n")).intValue() == 6, "the start again: " + once);
        }
    }

    @Test
    void aCostWeightSteersTowardCheapConfigurationsOfEqualPromise() {
        // The value does not depend on x (a flat objective with noise), the cost grows 50-fold across x.
        SearchSpace space = new SearchSpace(List.of(new Dimension.Float("x", 0, 1, false), new Dimension.Float("y", 0, 1, false)));
        Random r = new Random(7);
        List<Observation> observed = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Map<String, Object> params = space.sample(r);
            double x = ((Number) params.get("x")).doubleValue();
            observed.add(new Observation(params, 0.1 * r.nextGaussian(), Math.exp(4 * x)));
        }
        double plain = meanX(new BayesianOptimizer(space, 2).suggest(observed, List.of(), 4));
        double costAware = meanX(new BayesianOptimizer(space, 2).withBudget(c -> true, 1).suggest(observed, List.of(), 4));
        assertTrue(costAware < 0.3 && costAware < plain, "cost-aware mean x " + costAware + ", plain " + plain);
        assertEquals(new BayesianOptimizer(space, 2).suggest(observed, List.of(), 4),
                new BayesianOptimizer(space, 2).withBudget(c -> true, 0).suggest(observed, List.of(), 4),
                "weight 0 is the plain optimizer");
    }

    static double meanX(List<Map<String, Object>> configs) {
        return configs.stream().mapToDouble(c -> ((Number) c.get("x")).doubleValue()).average().orElseThrow();
    }

    @Test
    void lengthScalesRankTheParameterThatMatters() {
        SearchSpace space = new SearchSpace(List.of(new Dimension.Float("matters", 0, 1, false),
                new Dimension.Float("noise", 0, 1, false)));
        Random r = new Random(3);
        List<Observation> observed = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Map<String, Object> params = space.sample(r);
            observed.add(new Observation(params, Math.sin(6 * ((Number) params.get("matters")).doubleValue())));
        }
        Map<String, Double> importance = new BayesianOptimizer(space, 1).importance(observed);
        assertTrue(importance.get("matters") > 0.8, importance::toString);
    }

    @Test
    void encodingsRoundTripAndInvalidSpacesAreRefused() {
        SearchSpace space = TestFunctions.MIXED.space();
        Map<String, Object> p = Map.of("lr", 1e-3, "depth", 7L, "kind", "c");
        Map<String, Object> back = space.decode(space.encode(p));
        assertEquals(1e-3, (Double) back.get("lr"), 1e-12);
        assertEquals(7L, back.get("depth"));
        assertEquals("c", back.get("kind"));
        assertThrows(IllegalArgumentException.class, () -> new Dimension.Float("x", 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new Dimension.Float("x", 0, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new Dimension.Int("x", 0, 5, true));
        assertThrows(IllegalArgumentException.class, () -> new Dimension.Categorical("x", List.of("only")));
    }
}
