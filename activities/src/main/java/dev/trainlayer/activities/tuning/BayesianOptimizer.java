package dev.trainlayer.activities.tuning;

import dev.trainlayer.workflows.activity.SurrogateFits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.commons.math3.random.SobolSequenceGenerator;
import org.apache.commons.math3.special.Erf;

/**
 * Gaussian-process Bayesian optimization, minimizing.
 *
 * <ul>
 *   <li>Initial design: the given starts first ({@link #withStarts}: each model family's own parameters), then a
 *       Sobol sequence, shifted by a seeded random offset (Cranley–Patterson rotation).
 *   <li>Model: {@link GaussianProcess} (Matérn-5/2 ARD + noise, hyperparameters by maximum likelihood) on
 *       the unit-cube encoding: log scales in log space, integers at cell centres, categoricals one-hot.
 *   <li>Acquisition: log expected improvement over the best posterior mean at an observed point (robust
 *       to noise), maximized over many quasi-random and local candidates, each projected onto valid
 *       configurations (rounding inside the acquisition), then refined by a projected pattern search.
 *   <li>Batches: constant liar — each chosen point, and every pending one, joins the data with the best
 *       value seen as its (optimistic) lie, so the next point goes elsewhere.
 *   <li>Budget ({@link #withBudget}): configurations outside {@code allowed} (a retired model family) are
 *       never suggested; with a cost weight w &gt; 0 and at least three costed observations, a second GP
 *       models log seconds and the acquisition becomes log EI − w·E[log cost], i.e. expected improvement
 *       per second^w (the search lowers w as its budget runs out, so late trials go where the gain is).
 * </ul>
 * Deterministic for a given seed and history.
 */
public final class BayesianOptimizer implements Optimizer {
    private final SearchSpace space;
    private final long seed;
    private final int initialPoints;
    private final int candidates;
    private final Predicate<Map<String, Object>> allowed;
    private final double costWeight;
    private final List<Map<String, Object>> starts;
    private GaussianProcess lastFit;
    private List<Observation> lastFitObservations;
    /** Predicted mean log seconds of a configuration; null when cost does not count. */
    private GaussianProcess costModel;
    /** Hyperparameters handed in (the previous suggestion's), and those this optimizer's last suggestion used. */
    private SurrogateFits previousFits;
    private SurrogateFits usedFits;

    /** Observations from which a fit is reused until they grow by {@link #REFIT_GROWTH} (fits are cheap below). */
    static final int REUSE_FROM = 20;
    /** The growth in observations since the last fit that calls for a new one. */
    static final double REFIT_GROWTH = 0.2;

    public BayesianOptimizer(SearchSpace space, long seed) {
        this(space, seed, Math.max(5, Math.min(10, 2 * space.dimensions().size() + 1)), 2048);
    }

    public BayesianOptimizer(SearchSpace space, long seed, int initialPoints, int candidates) {
        this(space, seed, initialPoints, candidates, config -> true, 0, List.of());
    }

    private BayesianOptimizer(SearchSpace space, long seed, int initialPoints, int candidates,
                              Predicate<Map<String, Object>> allowed, double costWeight, List<Map<String, Object>> starts) {
        this.space = space;
        this.seed = seed;
        this.initialPoints = initialPoints;
        this.candidates = candidates;
        this.allowed = allowed;
        this.costWeight = costWeight;
        this.starts = starts;
    }

    /**
     * The same optimizer suggesting only configurations {@code allowed} accepts, and weighing expected
     * improvement against expected cost with {@code costWeight} (0: cost ignored).
     */
    public BayesianOptimizer withBudget(Predicate<Map<String, Object>> allowed, double costWeight) {
        return new BayesianOptimizer(space, seed, initialPoints, candidates, allowed, Math.max(0, costWeight), starts);
    }

    /**
     * The same optimizer trying {@code starts} first, in order, within its initial design: partial
     * configurations (a start's missing dimensions take the design point's values). A start is skipped once a
     * finished or running configuration agrees with all its values, or when {@code allowed} refuses it.
     */
    public BayesianOptimizer withStarts(List<Map<String, Object>> starts) {
        return new BayesianOptimizer(space, seed, initialPoints, candidates, allowed, costWeight,
                starts == null ? List.of() : List.copyOf(starts));
    }

    /**
     * The same optimizer starting from the hyperparameters of an earlier suggestion of the same search: it reuses them
     * while the observations have grown by less than {@link #REFIT_GROWTH} since they were fitted (from
     * {@link #REUSE_FROM} observations on), and otherwise refits, starting from them. Fitting them took most of a
     * suggestion's time once there were a hundred observations or more.
     */
    public BayesianOptimizer withFits(SurrogateFits previous) {
        this.previousFits = previous;
        return this;
    }

    /** The hyperparameters the last {@link #suggest} used (null while still in the initial design), for the next one. */
    public SurrogateFits fits() {
        return usedFits;
    }

    /** A process and the hyperparameters it has, as the next suggestion gets them. */
    private record Fitted(GaussianProcess gp, SurrogateFits.Fit fit) {}

    /** {@code previous} reused, or a new fit on {@code x}, {@code y} started from it. */
    private static Fitted fitOrReuse(double[][] x, double[] y, Random random, SurrogateFits.Fit previous) {
        double[] from = previous != null && previous.logLengths().size() == x[0].length ? previous.log() : null;
        if (from != null && previous.observations() >= REUSE_FROM && x.length < previous.observations() * (1 + REFIT_GROWTH)) {
            return new Fitted(GaussianProcess.with(x, y, from), previous);
        }
        GaussianProcess gp = GaussianProcess.fit(x, y, random, from);
        return new Fitted(gp, SurrogateFits.Fit.of(gp.logHyperparameters(), x.length));
    }

    /** What the last fit said about each dimension: inverse length scales, summed per dimension, normalized. */
    public Map<String, Double> importance(List<Observation> observed) {
        if (observed.size() < 3) {
            return Map.of();
        }
        // The model the last suggestion fitted on this history, when there was one: no second fit.
        GaussianProcess gp = lastFit != null && lastFitObservations == observed ? lastFit : fit(observed, new Random(seed), null).gp();
        double[] lengths = gp.lengthScales();
        Map<String, Double> raw = new LinkedHashMap<>();
        int[] offsets = space.offsets();
        double total = 0;
        for (int i = 0; i < offsets.length; i++) {
            Dimension d = space.dimensions().get(i);
            double v = 0;
            for (int k = 0; k < d.width(); k++) {
                v += 1 / lengths[offsets[i] + k];
            }
            v /= d.width();
            raw.put(d.name(), v);
            total += v;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : raw.entrySet()) {
            out.put(e.getKey(), e.getValue() / total);
        }
        return out;
    }

    @Override
    public List<Map<String, Object>> suggest(List<Observation> observed, List<Map<String, Object>> pending, int count) {
        Random random = new Random(Seeds.derive(seed, 31L * observed.size() + pending.size()));
        List<Map<String, Object>> out = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Observation o : observed) {
            xs.add(space.encode(o.params()));
            ys.add(o.value());
        }
        if (observed.size() < Math.min(initialPoints, 2) || observed.size() + pending.size() < initialPoints) {
            // The n-th design point for the n-th trial; one a retired family owns, or one already taken
            // (after such a skip), gives way to the next.
            List<double[]> taken = new ArrayList<>(xs);
            pending.forEach(p -> taken.add(space.encode(p)));
            SobolSequenceGenerator sobol = new SobolSequenceGenerator(space.encodedSize());
            sobol.skipTo(observed.size() + pending.size() + 1); // skip the all-zeros corner
            double[] shift = sobolShift();
            List<Map<String, Object>> tried = new ArrayList<>(pending);
            observed.forEach(o -> tried.add(o.params()));
            for (int i = 0; i < count; i++) {
                double[] x = space.project(shifted(sobol.nextVector(), shift));
                Map<String, Object> start = nextStart(tried, x);
                if (start != null) {
                    tried.add(start);
                    taken.add(space.encode(start));
                    out.add(start);
                    continue;
                }
                for (int tries = 0; (!isAllowed(x) || !isNew(x, taken)) && tries < 4096; tries++) {
                    x = space.project(shifted(sobol.nextVector(), shift));
                }
                x = allowedOrRandom(x, random);
                taken.add(x);
                out.add(space.decode(x));
            }
            return out;
        }
        Fitted objective = fit(observed, random, previousFits == null ? null : previousFits.objective());
        GaussianProcess gp = objective.gp();
        lastFit = gp;
        lastFitObservations = observed;
        SurrogateFits.Fit costFit = null;
        costModel = null;
        if (costWeight > 0) {
            Fitted cost = fitCost(observed, random);
            if (cost != null) {
                costModel = cost.gp();
                costFit = cost.fit();
            }
        }
        // A cost fit not needed now (cost no longer counts) is handed on as it was, for when it counts again.
        usedFits = new SurrogateFits(objective.fit(), costFit != null ? costFit
                : previousFits == null ? null : previousFits.cost());
        double incumbent = Double.POSITIVE_INFINITY;
        for (double[] x : xs) {
            incumbent = Math.min(incumbent, gp.predict(x)[0]);
        }
        double lie = ys.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        for (Map<String, Object> p : pending) {
            xs.add(space.encode(p));
            ys.add(lie);
        }
        for (int b = 0; b < count; b++) {
            GaussianProcess model = b == 0 && pending.isEmpty() ? gp : gp.withData(xs.toArray(double[][]::new),
                    ys.stream().mapToDouble(Double::doubleValue).toArray());
            double[] next = maximize(model, incumbent, xs, random);
            out.add(space.decode(next));
            xs.add(next);
            ys.add(lie);
        }
        return out;
    }

    /**
     * A GP on log seconds of the observations whose cost is known, and the fit it used ({@link #fitOrReuse}); null
     * with fewer than three.
     */
    private Fitted fitCost(List<Observation> observed, Random random) {
        List<Observation> costed = observed.stream().filter(o -> o.cost() != null && o.cost() > 0).toList();
        if (costed.size() < 3) {
            return null;
        }
        double[][] x = costed.stream().map(o -> space.encode(o.params())).toArray(double[][]::new);
        double[] y = costed.stream().mapToDouble(o -> Math.log(o.cost())).toArray();
        return fitOrReuse(x, y, new Random(random.nextLong()), previousFits == null ? null : previousFits.cost());
    }

    /**
     * The first start no configuration in {@code tried} agrees with and {@code allowed} accepts, completed with
     * the design point {@code x}'s other values; null when none is left.
     */
    private Map<String, Object> nextStart(List<Map<String, Object>> tried, double[] x) {
        for (Map<String, Object> start : starts) {
            Map<String, Object> config = new LinkedHashMap<>(space.decode(x));
            config.putAll(start);
            // Compared as the space places it (integers rounded, values clamped), so a start the space moves is
            // still recognized once tried.
            Map<String, Object> placed = space.decode(space.project(space.encode(config)));
            // The start's own values where the space kept them: 0.1, not the 0.10000000000000002 a log scale returns.
            start.forEach((key, value) -> {
                if (agrees(placed, start, java.util.Set.of(key))) {
                    placed.put(key, value);
                }
            });
            if (allowed.test(placed) && tried.stream().noneMatch(t -> agrees(t, placed, start.keySet()))) {
                return placed;
            }
        }
        return null;
    }

    /** Whether {@code config} has every value {@code start} sets (numbers compared as numbers). */
    static boolean agrees(Map<String, Object> config, Map<String, Object> start) {
        return agrees(config, start, start.keySet());
    }

    /** Whether {@code config} has {@code start}'s values for {@code keys}. */
    private static boolean agrees(Map<String, Object> config, Map<String, Object> start, java.util.Set<String> keys) {
        for (String key : keys) {
            Object value = config.get(key);
            Object expected = start.get(key);
            if (value == null || expected == null) {
                return false;
            }
            if (value instanceof Number a && expected instanceof Number b) {
                if (Math.abs(a.doubleValue() - b.doubleValue()) > 1e-9 * Math.max(1, Math.abs(b.doubleValue()))) {
                    return false;
                }
            } else if (!value.equals(expected) && !String.valueOf(value).equals(String.valueOf(expected))) {
                return false;
            }
        }
        return true;
    }

    private boolean isAllowed(double[] x) {
        return allowed.test(space.decode(x));
    }

    /** log EI, less costWeight × the predicted log seconds when cost counts. */
    private double acquisition(GaussianProcess gp, double incumbent, double[] x) {
        double value = logEi(gp, incumbent, x);
        return costModel == null ? value : value - costWeight * costModel.predict(x)[0];
    }

    /** The objective's GP on the observations: {@code previous} reused or refitted from ({@link #fitOrReuse}); null: a new fit. */
    private Fitted fit(List<Observation> observed, Random random, SurrogateFits.Fit previous) {
        double[][] x = observed.stream().map(o -> space.encode(o.params())).toArray(double[][]::new);
        double[] y = observed.stream().mapToDouble(Observation::value).toArray();
        return fitOrReuse(x, y, random, previous);
    }

    /** The seeded offset of the initial design (Cranley–Patterson rotation). */
    private double[] sobolShift() {
        Random random = new Random(seed);
        double[] shift = new double[space.encodedSize()];
        for (int i = 0; i < shift.length; i++) {
            shift[i] = random.nextDouble();
        }
        return shift;
    }

    private static double[] shifted(double[] u, double[] shift) {
        for (int i = 0; i < u.length; i++) {
            u[i] = (u[i] + shift[i]) % 1.0;
        }
        return u;
    }

    /**
     * {@code x} when allowed; otherwise a random allowed point (only when every try above found none, e.g. a
     * space whose allowed part is tiny): a retired candidate is never suggested while any other is allowed.
     */
    private double[] allowedOrRandom(double[] x, Random random) {
        double[] y = x;
        for (int tries = 0; !isAllowed(y) && tries < 65_536; tries++) {
            y = space.project(randomPoint(space.encodedSize(), random));
        }
        return y;
    }

    private double[] maximize(GaussianProcess gp, double incumbent, List<double[]> taken, Random random) {
        int d = space.encodedSize();
        List<double[]> pool = new ArrayList<>();
        SobolSequenceGenerator sobol = new SobolSequenceGenerator(d);
        double[] shift = new double[d];
        for (int i = 0; i < d; i++) {
            shift[i] = random.nextDouble();
        }
        for (int c = 0; c < candidates; c++) {
            double[] u = sobol.nextVector();
            for (int i = 0; i < d; i++) {
                u[i] = (u[i] + shift[i]) % 1.0;
            }
            pool.add(space.project(u));
        }
        // Local candidates around the best points so far: where improvement is most likely to be small but sure.
        double[] means = new double[taken.size()];
        for (int i = 0; i < means.length; i++) {
            means[i] = gp.predict(taken.get(i))[0];
        }
        List<double[]> best = java.util.stream.IntStream.range(0, taken.size()).boxed()
                .sorted(Comparator.comparingDouble(i -> means[i])).limit(5).map(taken::get).toList();
        for (double[] center : best) {
            for (int c = 0; c < candidates / 16; c++) {
                double[] u = center.clone();
                for (int i = 0; i < d; i++) {
                    u[i] = Math.min(1, Math.max(0, u[i] + 0.05 * random.nextGaussian()));
                }
                pool.add(space.project(u));
            }
        }
        // Score each candidate once (a comparator that computed the acquisition would do it O(log n) times).
        List<double[]> fresh = pool.stream().filter(x -> isNew(x, taken) && isAllowed(x)).toList();
        double[] scores = new double[fresh.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = acquisition(gp, incumbent, fresh.get(i));
        }
        List<double[]> ranked = java.util.stream.IntStream.range(0, fresh.size()).boxed()
                .sorted(Comparator.comparingDouble(i -> -scores[i])).limit(5).map(fresh::get).toList();
        double[] winner = null;
        double winnerValue = Double.NEGATIVE_INFINITY;
        for (double[] start : ranked) {
            double[] refined = refine(gp, incumbent, start, taken);
            double v = acquisition(gp, incumbent, refined);
            if (v > winnerValue) {
                winnerValue = v;
                winner = refined;
            }
        }
        if (winner == null) {
            // Every candidate was already taken (a tiny discrete space): fall back to a fresh random point.
            winner = allowedOrRandom(space.project(randomPoint(d, random)), random);
        }
        return winner;
    }

    private double[] refine(GaussianProcess gp, double incumbent, double[] start, List<double[]> taken) {
        double[] x = start.clone();
        double value = acquisition(gp, incumbent, x);
        for (double step = 0.1; step >= 0.005; step /= 2) {
            boolean improved = true;
            while (improved) {
                improved = false;
                for (int i = 0; i < x.length; i++) {
                    for (int sign = -1; sign <= 1; sign += 2) {
                        double[] y = x.clone();
                        y[i] = Math.min(1, Math.max(0, y[i] + sign * step));
                        y = space.project(y);
                        if (Arrays.equals(y, x) || !isNew(y, taken) || !isAllowed(y)) {
                            continue;
                        }
                        double v = acquisition(gp, incumbent, y);
                        if (v > value + 1e-12) {
                            x = y;
                            value = v;
                            improved = true;
                        }
                    }
                }
            }
        }
        return x;
    }

    private static double[] randomPoint(int d, Random random) {
        double[] u = new double[d];
        for (int i = 0; i < d; i++) {
            u[i] = random.nextDouble();
        }
        return u;
    }

    private static boolean isNew(double[] x, List<double[]> taken) {
        for (double[] t : taken) {
            double dist = 0;
            for (int i = 0; i < x.length; i++) {
                dist += (x[i] - t[i]) * (x[i] - t[i]);
            }
            if (dist < 1e-12) {
                return false;
            }
        }
        return true;
    }

    /** log EI for minimization, stable far into the tail where EI underflows. */
    static double logEi(GaussianProcess gp, double incumbent, double[] x) {
        double[] p = gp.predict(x);
        double sigma = p[1];
        double z = (incumbent - p[0]) / sigma;
        return Math.log(sigma) + logH(z);
    }

    /** log(φ(z) + zΦ(z)). */
    static double logH(double z) {
        if (z > -6) {
            double phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            double cdf = 0.5 * Erf.erfc(-z / Math.sqrt(2));
            return Math.log(Math.max(phi + z * cdf, Double.MIN_NORMAL));
        }
        double z2 = z * z;
        double logPhi = -0.5 * z2 - 0.5 * Math.log(2 * Math.PI);
        return logPhi - Math.log(z2) + Math.log(1 - 3 / z2 + 15 / (z2 * z2));
    }
}
