package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelCandidate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a search spends its budget between model families and between cheap and costly configurations.
 * Every decision is a pure function of the finished trials and the counters the workflow keeps, so it is
 * the same on replay and for the same seed.
 *
 * <ul>
 *   <li><b>Families.</b> Once a candidate and the leading candidate have each finished {@link #MIN_TRIALS}
 *       trials (completed or pruned), a candidate whose best value is worse than the median of the
 *       leader's trials is retired: half of the leader's configurations already beat the best it found,
 *       so its trials are better spent on the leader. A candidate whose trials cost {@link #EXPENSIVE} times
 *       the leader's is judged after {@link #MIN_TRIALS_EXPENSIVE}, or after its first in a budget of at most
 *       {@link #SMALL_BUDGET} trials. A retired candidate stays retired for the
 *       run, and its running trials are stopped.
 *   <li><b>Cost.</b> The optimizer weighs expected improvement per second^w (seconds as {@link TrialCost}
 *       estimates them), with w falling from 1 at the first trial to 0 at the last (or as the time budget
 *       runs out): cheap configurations first while there is budget to spare, pure expected improvement at
 *       the end (cost cooling).
 *   <li><b>Trials behind the leader.</b> A trial of another candidate that is still worse than the
 *       leader's median at its third pruning check stops there (see {@link
 *       dev.trainlayer.workflows.activity.PruningPlan#LEADER_CHECK_FROM}); with pruning off, it does not.
 *   <li><b>Time.</b> With a time budget, a candidate whose trials take longer (median) than the time left
 *       gets no new trial; when no candidate fits, the search stops launching.
 * </ul>
 */
public final class BudgetAllocation {
    /** Trials (completed or pruned) a candidate, and the leader, finish before the candidate can be judged. */
    public static final int MIN_TRIALS = 3;
    /** How many times the leader's mean trial cost makes a candidate expensive. */
    public static final double EXPENSIVE = 3;
    /** Trials an expensive candidate finishes before it can be judged (the leader still needs {@link #MIN_TRIALS}). */
    public static final int MIN_TRIALS_EXPENSIVE = 2;
    /**
     * Trial budgets up to this judge an expensive candidate after its first trial ({@code budget-allocation} version 4).
     * That trial is the family's own parameters (the search's start); in a budget of 20, each further look at a family
     * behind the leader at several times its cost spends what three or more of the leader's trials would.
     */
    public static final int SMALL_BUDGET = 30;

    private BudgetAllocation() {}

    /** A candidate that gets no more trials, and why, in words a user can check against the trial table. */
    public record Retirement(String candidate, String reason) {}

    /**
     * The candidates to retire now, given everything finished. Never the last active candidate, never
     * one already in {@code retired}.
     */
    public static List<Retirement> retire(List<ModelCandidate> candidates, List<TrialResult> finished, Metric metric,
                                          Set<String> retired) {
        return retire(candidates, finished, metric, retired, r -> null);
    }

    /**
     * The same, with what each finished trial cost ({@link TrialCost}; null when unknown): a candidate whose
     * trials cost on average {@link #EXPENSIVE} times the leader's or more is judged after
     * {@link #MIN_TRIALS_EXPENSIVE} trials, since every further look at it costs that much more.
     */
    public static List<Retirement> retire(List<ModelCandidate> candidates, List<TrialResult> finished, Metric metric,
                                          Set<String> retired, Function<TrialResult, Double> cost) {
        return retire(candidates, finished, metric, retired, cost, MIN_TRIALS_EXPENSIVE);
    }

    /** Trials an expensive candidate finishes before it can be judged, in a search of {@code trials} trials. */
    public static int expensiveAfter(int trials) {
        return trials <= SMALL_BUDGET ? 1 : MIN_TRIALS_EXPENSIVE;
    }

    /** The same, judging an expensive candidate after {@code expensiveAfter} trials (see {@link #expensiveAfter}). */
    public static List<Retirement> retire(List<ModelCandidate> candidates, List<TrialResult> finished, Metric metric,
                                          Set<String> retired, Function<TrialResult, Double> cost, int expensiveAfter) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> costs = new LinkedHashMap<>();
        for (ModelCandidate c : candidates) {
            if (!retired.contains(c.name())) {
                values.put(c.name(), new ArrayList<>());
                costs.put(c.name(), new ArrayList<>());
            }
        }
        for (TrialResult r : finished) {
            List<Double> v = values.get(r.candidate());
            if (v != null && (r.completed() || r.pruned()) && !Double.isNaN(r.objective())) {
                v.add(r.objective());
                Double c = cost.apply(r);
                if (c != null && c > 0) {
                    costs.get(r.candidate()).add(c);
                }
            }
        }
        java.util.Optional<dev.trainlayer.workflows.activity.PruningPlan.LeaderBar> bar = leaderBar(candidates, finished, metric, retired);
        if (bar.isEmpty()) {
            return List.of();
        }
        String leader = bar.get().candidate();
        double median = bar.get().median();
        List<Retirement> out = new ArrayList<>();
        double leaderCost = mean(costs.get(leader));
        for (Map.Entry<String, List<Double>> e : values.entrySet()) {
            List<Double> v = e.getValue();
            double ratio = mean(costs.get(e.getKey())) / leaderCost;
            boolean expensive = ratio >= EXPENSIVE;
            if (e.getKey().equals(leader) || v.size() < (expensive ? expensiveAfter : MIN_TRIALS)) {
                continue;
            }
            double best = best(v, metric);
            if (metric.better(median, best)) {
                out.add(new Retirement(e.getKey(), String.format(Locale.ROOT,
                        "%s gets no more trials: its best %s %s over %d trials is worse than the median %s of %s's %d trials%s",
                        e.getKey(), metric.wire(), num(best), v.size(), num(median), leader, bar.get().trials(),
                        expensive ? String.format(Locale.ROOT, ", and its trials cost %.0f× as much", ratio) : "")));
            }
        }
        return out;
    }

    /**
     * The leading candidate and the median of its finished trials (what {@link #retire} compares against),
     * once it has {@link #MIN_TRIALS}; empty before, or when fewer than two candidates are active.
     */
    public static java.util.Optional<dev.trainlayer.workflows.activity.PruningPlan.LeaderBar> leaderBar(
            List<ModelCandidate> candidates, List<TrialResult> finished, Metric metric, Set<String> retired) {
        long active = candidates.stream().filter(c -> !retired.contains(c.name())).count();
        if (active < 2) {
            return java.util.Optional.empty();
        }
        String leader = null;
        List<Double> leaderValues = null;
        for (ModelCandidate c : candidates) {
            if (retired.contains(c.name())) {
                continue;
            }
            List<Double> v = finished.stream().filter(r -> r.candidate().equals(c.name()) && (r.completed() || r.pruned())
                    && !Double.isNaN(r.objective())).map(TrialResult::objective).toList();
            if (v.size() >= MIN_TRIALS && (leader == null || metric.better(best(v, metric), best(leaderValues, metric)))) {
                leader = c.name();
                leaderValues = v;
            }
        }
        return leader == null ? java.util.Optional.empty()
                : java.util.Optional.of(new dev.trainlayer.workflows.activity.PruningPlan.LeaderBar(leader, leaderValues.size(),
                        median(leaderValues)));
    }

    /**
     * With a time budget: the active candidates whose completed trials took longer (median) than the time
     * left, so a trial launched now would run far past the budget. Candidates with no completed trial yet are
     * given the benefit of the doubt.
     */
    public static List<String> tooLongFor(List<ModelCandidate> candidates, List<TrialResult> finished, Set<String> retired,
                                          long millisLeft) {
        List<String> out = new ArrayList<>();
        for (ModelCandidate c : candidates) {
            if (retired.contains(c.name())) {
                continue;
            }
            List<Double> durations = finished.stream().filter(r -> r.candidate().equals(c.name()) && r.completed()
                    && r.durationMs() > 0).map(r -> (double) r.durationMs()).toList();
            if (!durations.isEmpty() && median(durations) > millisLeft) {
                out.add(c.name());
            }
        }
        return out;
    }

    /**
     * The optimizer's cost weight for the next suggestion: 1 at the start, 0 at the end of whichever budget
     * runs out first, the trials or (when set) the time.
     */
    public static double costWeight(int launched, int trials, long now, long started, Long deadline) {
        double used = trials <= 1 ? 1 : (double) launched / (trials - 1);
        if (deadline != null && deadline > started) {
            used = Math.max(used, (double) (now - started) / (deadline - started));
        }
        return Math.max(0, Math.min(1, 1 - used));
    }

    /** The mean, NaN for none (so a ratio with it is never "expensive"). */
    private static double mean(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double best(List<Double> values, Metric metric) {
        double best = values.get(0);
        for (double v : values) {
            if (metric.better(v, best)) {
                best = v;
            }
        }
        return best;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
