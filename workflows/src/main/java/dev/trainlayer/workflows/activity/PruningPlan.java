package dev.trainlayer.workflows.activity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.ModelParams;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.PruningSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a trial needs to prune itself: the steps at which it reports its value, and for each step the bar
 * it must clear, computed by the search workflow from the trials that had finished when this one started.
 * The bar fixed at launch is part of the activity's input, in the workflow history. From {@code budget-allocation}
 * version 4 on, a running trial also asks its search for the plan as it stands at each check step
 * ({@code SearchWorkflow.pruningPlan}), so trials finished since it started hold it too; its decision is in its
 * result either way.
 *
 * <p>Pure and deterministic: built inside the workflow, applied inside the training activity.
 *
 * @param steps check steps, ascending (epochs or boosting rounds)
 * @param rungs the bar at the steps that have enough earlier values; a step without one never prunes
 * @param unit  "epoch" or "round", for messages
 * @param stop  when set, the trial stops with this as its reason at its next check step, or sooner when it asks between
 *              checks (its candidate was retired while it ran: {@code "stopped: mlp gets no more trials: …"}); null
 *              otherwise
 */
public record PruningPlan(PruningSpec.Rule rule, Metric metric, String unit, int reductionFactor, List<Integer> steps,
                          List<Rung> rungs, @com.fasterxml.jackson.annotation.JsonInclude(
                                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String stop) {

    /**
     * At {@code step}, {@code trials} earlier values gave {@code bar}; a value worse than the bar stops the trial.
     * {@code leader}, when set, names another (the leading) candidate whose trials' median is the bar.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Rung(int step, int trials, double bar, String leader) {
        public Rung(int step, int trials, double bar) {
            this(step, trials, bar, null);
        }
    }

    /** The leading candidate of a search with several, and the median value of its finished trials. */
    public record LeaderBar(String candidate, int trials, double median) {}

    /**
     * Checks from this one on (the third: epoch 20 or round 80 with the default median rule) also hold a trial
     * of another candidate to the leader's median: a trial that, that far in, still does worse than a typical
     * trial of the leading family is unlikely to become the search's best, and it holds up the run.
     */
    public static final int LEADER_CHECK_FROM = 2;

    /**
     * In a search of several candidates, checks from {@link #LEADER_CHECK_FROM} on need only this many finished
     * trials of the candidate for a bar (or {@code startupTrials}, if fewer). Such a search gives each candidate a
     * few trials, so the usual {@code startupTrials} (5) is rarely reached: a trial of the leading candidate far
     * behind its own earlier trials at epoch 20 (round 80) then ran to the end of its patience or its
     * {@code maxEpochs}. The first two checks keep {@code startupTrials}, where values are noisy.
     */
    public static final int SHARED_STARTUP_TRIALS = 3;

    public PruningPlan {
        steps = steps == null ? List.of() : List.copyOf(steps);
        rungs = rungs == null ? List.of() : List.copyOf(rungs);
    }

    public PruningPlan(PruningSpec.Rule rule, Metric metric, String unit, int reductionFactor, List<Integer> steps,
                       List<Rung> rungs) {
        this(rule, metric, unit, reductionFactor, steps, rungs, null);
    }

    /** The same plan, ending the trial at its next check step with {@code reason}. */
    public PruningPlan stoppingWith(String reason) {
        return new PruningPlan(rule, metric, unit, reductionFactor, steps, rungs, reason);
    }

    /** Check steps: {@code first}, {@code first × factor}, … while below {@code maxResource}. */
    public static List<Integer> steps(int first, int factor, int maxResource) {
        List<Integer> out = new ArrayList<>();
        long step = Math.max(1, first);
        while (step < maxResource) {
            out.add((int) step);
            step *= Math.max(2, factor);
        }
        return out;
    }

    /** Epochs (MLP) or boosting rounds (XGBoost, the linear model; one for the forest) a candidate may train for. */
    public static int maxResource(ModelCandidate candidate) {
        return switch (candidate.type()) {
            case MLP -> ModelParams.getInt(candidate.withDefaults().params(), "maxEpochs");
            case FOREST -> 1;
            case XGBOOST, LINEAR -> ModelParams.getInt(candidate.withDefaults().params(), "numRounds");
        };
    }

    /** A plan that records values at the default steps and never prunes (pruning off, or no search). */
    public static PruningPlan recordOnly(ModelCandidate candidate, Metric metric) {
        PruningSpec none = new PruningSpec(PruningSpec.Rule.NONE, null, null, null);
        return new PruningPlan(PruningSpec.Rule.NONE, metric, unit(candidate.type()), 2,
                steps(none.minResourceFor(candidate.type()), 2, maxResource(candidate)), List.of());
    }

    /**
     * The plan for a new trial of {@code candidate}: bars from the finished trials of the same candidate
     * (completed ones count with their final value at steps past their last epoch; pruned ones only up to
     * where they stopped).
     */
    public static PruningPlan build(PruningSpec spec, Metric metric, ModelCandidate candidate, List<TrialResult> finished) {
        return build(spec, metric, candidate, finished, null);
    }

    /**
     * The same, with the leading candidate's bar (null: none) applied from check {@link #LEADER_CHECK_FROM} on
     * when the leader is another candidate.
     */
    public static PruningPlan build(PruningSpec spec, Metric metric, ModelCandidate candidate, List<TrialResult> finished,
                                    LeaderBar leader) {
        return build(spec, metric, candidate, finished, leader, false);
    }

    /**
     * The same; with {@code shared} (a search of several candidates, {@code budget-allocation} version 3), checks from
     * {@link #LEADER_CHECK_FROM} on have a bar once {@link #SHARED_STARTUP_TRIALS} trials of the candidate have a
     * value there.
     */
    public static PruningPlan build(PruningSpec spec, Metric metric, ModelCandidate candidate, List<TrialResult> finished,
                                    LeaderBar leader, boolean shared) {
        if (spec == null || spec.rule() == PruningSpec.Rule.NONE) {
            return recordOnly(candidate, metric);
        }
        List<Integer> steps = steps(spec.minResourceFor(candidate.type()), spec.stepFactor(), maxResource(candidate));
        int startup = spec.startupTrials() == null ? PruningSpec.DEFAULT_STARTUP_TRIALS : spec.startupTrials();
        List<Rung> rungs = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            int step = steps.get(i);
            int needed = shared && i >= LEADER_CHECK_FROM ? Math.min(startup, SHARED_STARTUP_TRIALS) : startup;
            List<Double> values = new ArrayList<>();
            for (TrialResult r : finished) {
                if (candidate.name() != null && !candidate.name().equals(r.candidate())) {
                    continue;
                }
                valueAt(r, step).ifPresent(values::add);
            }
            if (values.size() < Math.max(1, needed)) {
                continue;
            }
            // Best first.
            values.sort(metric.higherIsBetter() ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder());
            double bar;
            if (spec.rule() == PruningSpec.Rule.MEDIAN) {
                int n = values.size();
                bar = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
            } else {
                // ASHA: continue when in the best 1/eta of the trials at this rung, counting this one: at
                // least as good as the k-th best earlier value, k = max(1, (n + 1) / eta).
                int eta = spec.stepFactor();
                int k = Math.max(1, (values.size() + 1) / eta);
                bar = values.get(k - 1);
            }
            rungs.add(new Rung(step, values.size(), bar));
        }
        if (leader != null && !leader.candidate().equals(candidate.name())) {
            for (int i = LEADER_CHECK_FROM; i < steps.size(); i++) {
                rungs.add(new Rung(steps.get(i), leader.trials(), leader.median(), leader.candidate()));
            }
        }
        return new PruningPlan(spec.rule(), metric, unit(candidate.type()), spec.stepFactor(), steps, rungs);
    }

    /** A finished trial's value at a step, if it has one. */
    public static Optional<Double> valueAt(TrialResult r, int step) {
        if (r.intermediate() != null) {
            for (IntermediateValue v : r.intermediate()) {
                if (v.step() == step && !Double.isNaN(v.value())) {
                    return Optional.of(v.value());
                }
            }
        }
        if (r.completed() && r.epochs() < step && !Double.isNaN(r.objective())) {
            return Optional.of(r.objective()); // early-stopped before this step: it would not have improved
        }
        return Optional.empty();
    }

    @JsonIgnore
    public boolean prunes() {
        return rule != PruningSpec.Rule.NONE && !rungs.isEmpty();
    }

    /** Empty to go on; otherwise why the trial stops at {@code step} with {@code value}. */
    public Optional<String> check(int step, double value) {
        if (stop != null) {
            return Optional.of(stop);
        }
        for (Rung rung : rungs) {
            if (rung.step() != step) {
                continue;
            }
            if (Double.isNaN(value) || metric.better(rung.bar(), value)) {
                String what = rung.leader() != null
                        ? "worse than the median %s of the %d trials of %s, the leading candidate".formatted(fmt(rung.bar()),
                                rung.trials(), rung.leader())
                        : rule == PruningSpec.Rule.MEDIAN
                        ? "worse than the median %s of %d earlier trials".formatted(fmt(rung.bar()), rung.trials())
                        : "not in the best 1/%d of the %d trials at this rung (needed %s)".formatted(
                                reductionFactor, rung.trials() + 1, fmt(rung.bar()));
                return Optional.of("pruned (%s) at %s %d: validation %s %s is %s".formatted(rule.wire(), unit, step,
                        metric.wire(), fmt(value), what));
            }
        }
        return Optional.empty();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String unit(ModelType type) {
        return type == ModelType.MLP ? "epoch" : "round";
    }
}
