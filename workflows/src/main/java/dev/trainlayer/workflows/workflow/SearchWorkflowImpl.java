package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.PriorsInput;
import dev.trainlayer.workflows.activity.PruningPlan;
import dev.trainlayer.workflows.activity.RecordObservationsInput;
import dev.trainlayer.workflows.activity.SearchDimension;
import dev.trainlayer.workflows.activity.SearchObservation;
import dev.trainlayer.workflows.activity.SuggestInput;
import dev.trainlayer.workflows.activity.SuggestResult;
import dev.trainlayer.workflows.activity.TrainingActivities;
import dev.trainlayer.workflows.activity.TrialInput;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.activity.TuningActivities;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.notify.Notification;
import dev.trainlayer.workflows.notify.Notifications;
import dev.trainlayer.workflows.spec.Durations;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.ParamRange;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SearchSpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The search loop: ask the optimizer for as many configurations as there are free trial slots, train
 * them in parallel (each with a pruning plan built from the trials finished so far; with k-fold, each on
 * every fold at once), feed each result back as it arrives. Stops at the trial budget, the time budget, the
 * target metric, or after {@link #MAX_CONSECUTIVE_FAILURES} failed trials in a row. Every
 * {@link #TRIALS_PER_EXECUTION} finished trials it drains the running ones and continues as new, carrying
 * the results, so a long search never outgrows its history.
 */
public class SearchWorkflowImpl implements SearchWorkflow {
    static final int TRIALS_PER_EXECUTION = 50;
    static final int MAX_CONSECUTIVE_FAILURES = 5;
    private static final Logger log = Workflow.getLogger(SearchWorkflowImpl.class);

    private final TuningActivities tuning = Workflow.newActivityStub(TuningActivities.class, ActivityPolicies.tuning());
    private final Map<String, TrialSummary> summaries = new LinkedHashMap<>();
    private final List<RunEvent> events = new ArrayList<>();
    /** What {@link #pruningPlan} answers: set by the search loop (budget-allocation version 4 on). */
    private java.util.function.Function<String, PruningPlan> livePlans = trialId -> null;

    @Override
    public SearchResult run(SearchInput input) {
        PipelineSpec spec = input.spec();
        SearchSpec search = spec.search();
        // Version 1: the search spends its budget (BudgetAllocation): default spaces scale with the training
        // rows, a family clearly behind stops getting trials, and the optimizer weighs expected cost.
        // Decided once per search, when it starts, and carried across continue-as-new: a search started on
        // older code keeps its rules (and its space) to the end.
        // Version 2: MLP batch sizes give an epoch 25–200 steps rather than 50–500 and its learning rates start at 3e-4
        // (ModelType.SCALING_STEPS_25_TO_200), and each candidate's first trial runs its own parameters (starts())
        // before the optimizer's design points.
        // Version 3: with several candidates, pruning checks from the third on have a bar once three trials of the
        // candidate reached them (PruningPlan.SHARED_STARTUP_TRIALS), not only after startupTrials.
        // Version 4: running trials ask for their plan at each check step (the query pruningPlan) and are held to the
        // bars as they stand then, not only to those of the trials finished when they started; and in a budget of at most
        // 30 trials an expensive candidate behind the leader is retired after its first trial
        // (BudgetAllocation.expensiveAfter); a retired candidate's running trials are not cancelled but stop at their
        // next check step or sooner, told by the same query; and each suggestion hands the optimizer's hyperparameters
        // to the next (SurrogateFits).
        int budgetVersion = input.launched() == 0 ? Workflow.getVersion("budget-allocation", Workflow.DEFAULT_VERSION, 4)
                : input.budgetVersion() == null ? Workflow.DEFAULT_VERSION : input.budgetVersion();
        List<SearchDimension> dimensions = budgetVersion >= 1
                ? dimensions(spec.models(), input.features().trainRows(), budgetVersion >= 2
                        ? ModelType.SCALING_STEPS_25_TO_200 : ModelType.SCALING_STEPS_50_TO_500)
                : dimensions(spec.models());
        List<Map<String, Object>> starts = budgetVersion >= 2 ? starts(spec.models(), dimensions) : null;
        long started = input.startedAtMillis() == 0 ? Workflow.currentTimeMillis() : input.startedAtMillis();
        Long deadline = search.timeBudget() == null ? null : started + Durations.parse(search.timeBudget()).toMillis();
        List<TrialResult> finished = new ArrayList<>(input.finished());
        finished.forEach(r -> summaries.put(r.trialId(), TrialSummary.of(r)));
        events.addAll(input.events());
        List<SearchObservation> observations = new ArrayList<>(input.observations());
        int priors = input.priors();
        int warmStartVersion = Workflow.getVersion("warm-start", Workflow.DEFAULT_VERSION, 1);
        // Version 1: trials get a pruning plan, and k-fold searches train every configuration on each fold.
        int pruningVersion = Workflow.getVersion("pruning-kfold", Workflow.DEFAULT_VERSION, 1);
        // Version 1: slow trials are published to webhooks (trial.slow).
        int notifyVersion = Workflow.getVersion("notifications", Workflow.DEFAULT_VERSION, 1);
        // Version 1: with a time budget, trials running at its end stop there and keep their best model so far.
        int deadlineVersion = Workflow.getVersion("trial-deadline", Workflow.DEFAULT_VERSION, 1);
        Long trialDeadline = deadlineVersion >= 1 ? deadline : null;
        int perExecution = input.trialsPerExecution() == null ? TRIALS_PER_EXECUTION : input.trialsPerExecution();
        int folds = pruningVersion >= 1 && search.kfold() != null && search.kfold() >= 2 ? search.kfold() : 0;
        // The space without the data-size scaling: earlier runs on less data stay valid priors (those whose
        // values today's space no longer offers are left out below).
        String spaceHash = hash(dimensions(spec.models()).toString());
        String schemaHash = hash(input.features().featureNames() + "|" + input.features().classes() + "|" + spec.metric());
        if (warmStartVersion >= 1 && input.launched() == 0 && Boolean.TRUE.equals(search.warmStart())) {
            List<SearchObservation> earlier = tuning.priors(new PriorsInput(input.pipelineKey(), input.runId(), spaceHash, schemaHash));
            if (budgetVersion >= 1) {
                earlier = earlier.stream().filter(o -> fits(dimensions, o.config())).toList();
            }
            observations.addAll(earlier);
            priors = earlier.size();
        }
        Map<String, Promise<TrialResult>> running = new LinkedHashMap<>();
        Map<String, Map<String, Object>> runningConfigs = new LinkedHashMap<>();
        Map<String, ModelCandidate> runningCandidates = new LinkedHashMap<>();
        Map<String, CancellationScope> scopes = new LinkedHashMap<>();
        Map<String, String> stopped = new LinkedHashMap<>();
        // The optimizer's last hyperparameters, handed to the next suggestion (not carried across continue-as-new).
        dev.trainlayer.workflows.activity.SurrogateFits fits = null;
        int launched = input.launched();
        int finishedHere = 0;
        int failuresInARow = 0;
        String stop = null;
        Map<String, Double> importance = Map.of();
        java.util.Set<String> retired = new java.util.TreeSet<>(input.retired());
        if (budgetVersion >= 4 && pruningVersion >= 1) {
            // The same plan a trial of that candidate launched now would get.
            livePlans = trialId -> {
                String trial = trialId.replaceFirst("/fold-\\d+$", "");
                ModelCandidate candidate = runningCandidates.get(trial);
                if (candidate == null) {
                    return null;
                }
                PruningPlan plan = PruningPlan.build(search.pruning(), spec.metric(), candidate, finished,
                        BudgetAllocation.leaderBar(spec.models(), finished, spec.metric(), retired).orElse(null),
                        spec.models().size() > 1);
                return stopped.containsKey(trial) ? plan.stoppingWith(stopped.get(trial)) : plan;
            };
        }
        while (true) {
            if (stop == null && deadline != null && Workflow.currentTimeMillis() >= deadline) {
                stop = "time budget of " + search.timeBudget() + " used";
            }
            // With a time budget, candidates whose trials would run far past it get none now.
            java.util.Set<String> excluded = new java.util.TreeSet<>(retired);
            if (budgetVersion >= 1 && deadline != null && stop == null) {
                long left = deadline - Workflow.currentTimeMillis();
                excluded.addAll(BudgetAllocation.tooLongFor(spec.models(), finished, retired, left));
                if (spec.models().stream().allMatch(c -> excluded.contains(c.name()))) {
                    stop = left < 1000 ? "time budget of " + search.timeBudget() + " used"
                            : String.format(Locale.ROOT, "time budget of %s nearly used: no candidate's trials fit in the %.0f s left",
                                    search.timeBudget(), left / 1000.0);
                }
            }
            int want = stop != null || finishedHere >= perExecution ? 0
                    : Math.min(search.parallelism() - running.size(), search.trials() - launched);
            if (want > 0) {
                SuggestResult suggested = tuning.suggest(budgetVersion >= 1
                        ? new SuggestInput(input.runId(), search.algorithm(), search.seed(), dimensions, observations,
                                List.copyOf(runningConfigs.values()), want, List.copyOf(excluded),
                                BudgetAllocation.costWeight(launched, search.trials(), Workflow.currentTimeMillis(), started, deadline),
                                starts, budgetVersion >= 4 ? fits : null)
                        : new SuggestInput(input.runId(), search.algorithm(), search.seed(), dimensions, observations,
                                List.copyOf(runningConfigs.values()), want));
                if (!suggested.importance().isEmpty()) {
                    importance = suggested.importance();
                }
                if (suggested.fits() != null) {
                    fits = suggested.fits();
                }
                for (Map<String, Object> config : suggested.configs()) {
                    ModelCandidate candidate = candidateFor(spec.models(), config);
                    String trialId = String.format(Locale.ROOT, "%03d-%s", launched, candidate.name());
                    TrainingActivities trainer = Workflow.newActivityStub(TrainingActivities.class, ActivityPolicies.training(
                            RetrainWorkflowImpl.queueFor(candidate.type(), spec.compute().device()), trialId, candidate));
                    PruningPlan plan = pruningVersion < 1 ? null : PruningPlan.build(search.pruning(), spec.metric(), candidate,
                            finished, budgetVersion >= 1 ? BudgetAllocation.leaderBar(spec.models(), finished, spec.metric(), retired)
                                    .orElse(null) : null, budgetVersion >= 3 && spec.models().size() > 1);
                    TrialInput trial = new TrialInput(input.runId(), trialId, candidate, spec.task(), spec.metric(),
                            input.features(), spec.seedOrDefault() + launched, spec.compute().device(), plan, null, null,
                            spec.stopsAnomalousTrials() ? Boolean.TRUE : null, null, trialDeadline);
                    // Each trial in its own cancellation scope, so a retired family's running trials can be stopped.
                    List<Promise<TrialResult>> launchedTrial = new ArrayList<>(1);
                    CancellationScope scope = Workflow.newCancellationScope(() -> launchedTrial.add(
                            folds >= 2 ? crossValidate(trainer, trial, folds) : Async.function(trainer::trainTrial, trial)));
                    scope.run();
                    running.put(trialId, launchedTrial.get(0));
                    scopes.put(trialId, scope);
                    runningConfigs.put(trialId, config);
                    runningCandidates.put(trialId, candidate);
                    summaries.put(trialId, TrialSummary.running(trialId, candidate.name(), candidate.type(), candidate.params()));
                    events.add(RunEvent.trialStarted(trialId, Workflow.currentTimeMillis()));
                    launched++;
                }
            }
            if (running.isEmpty()) {
                break;
            }
            Workflow.await(() -> running.values().stream().anyMatch(Promise::isCompleted));
            for (String trialId : List.copyOf(running.keySet())) {
                Promise<TrialResult> promise = running.get(trialId);
                if (!promise.isCompleted()) {
                    continue;
                }
                running.remove(trialId);
                scopes.remove(trialId);
                Map<String, Object> config = runningConfigs.remove(trialId);
                ModelCandidate candidate = runningCandidates.remove(trialId);
                TrialResult result;
                try {
                    result = promise.get().withoutCurve();
                } catch (ActivityFailure e) {
                    String why = e.getCause() instanceof ApplicationFailure app ? app.getOriginalMessage() : e.getMessage();
                    result = TrialResult.failed(trialId, candidate.name(), candidate.type(), candidate.params(), why);
                } catch (CanceledFailure e) {
                    result = TrialResult.failed(trialId, candidate.name(), candidate.type(), candidate.params(), e.getMessage());
                }
                String stoppedBecause = stopped.remove(trialId);
                if (stoppedBecause != null && !result.completed()) {
                    // From version 4 on a stopped trial ends at a check step and keeps its value there (a k-fold trial's
                    // folds each say so: one reason for the trial); before, it was cancelled and has none.
                    result = budgetVersion >= 4 && result.pruned() ? result.withFailure(stoppedBecause)
                            : TrialResult.stopped(trialId, candidate.name(), candidate.type(), candidate.params(), stoppedBecause);
                }
                finished.add(result);
                finishedHere++;
                summaries.put(trialId, TrialSummary.of(result));
                events.add(RunEvent.trialEnded(result, Workflow.currentTimeMillis()));
                String slow = slowness(result, finished).orElse(null);
                if (slow != null) {
                    events.add(RunEvent.alert(Alerts.TRIAL_SLOW, trialId, slow, Workflow.currentTimeMillis()));
                    if (notifyVersion >= 1) {
                        String qualified = input.pipelineKey();
                        Notifications.publish(new Notification(input.runId() + "/" + trialId + "/slow", Alerts.TRIAL_SLOW,
                                Projects.projectOf(qualified), Projects.nameOf(qualified), spec.model(), input.runId(),
                                Workflow.currentTimeMillis(), slow, Map.of("trialId", trialId, "durationMs", result.durationMs())));
                    }
                }
                if ((result.completed() || result.pruned()) && !Double.isNaN(result.objective())) {
                    // A pruned trial joins the optimizer's history with the value it had when it stopped: it
                    // was already worse than most, which is what the optimizer needs to know about its region.
                    failuresInARow = 0;
                    double value = spec.metric().higherIsBetter() ? -result.objective() : result.objective();
                    Double cost = budgetVersion >= 1 ? TrialCost.estimate(result, input.features().trainRows(),
                            input.features().featureCount(), input.features().classes().size()) : null;
                    observations.add(new SearchObservation(config, value, cost));
                    if (result.completed() && stop == null && search.target() != null
                            && !spec.metric().better(search.target(), result.objective())) {
                        stop = "target " + spec.metric().wire() + " " + search.target() + " reached by trial " + trialId;
                    }
                } else if (result.pruned()) {
                    failuresInARow = 0;
                } else if (++failuresInARow >= MAX_CONSECUTIVE_FAILURES && stop == null) {
                    stop = MAX_CONSECUTIVE_FAILURES + " trials failed in a row; the last: " + result.failure();
                }
            }
            if (budgetVersion >= 1 && spec.models().size() > 1) {
                for (BudgetAllocation.Retirement r : BudgetAllocation.retire(spec.models(), finished, spec.metric(), retired,
                        t -> TrialCost.estimate(t, input.features().trainRows(), input.features().featureCount(),
                                input.features().classes().size()), budgetVersion >= 4 ? BudgetAllocation.expensiveAfter(search.trials())
                                : BudgetAllocation.MIN_TRIALS_EXPENSIVE)) {
                    retired.add(r.candidate());
                    events.add(RunEvent.searchDecision(RunEvent.FAMILY_RETIRED, r.reason(), Workflow.currentTimeMillis()));
                    log.info("search of run {}: {}", input.runId(), r.reason());
                    // Its running trials stop too: a straggler of a family that lost would hold up the run. From version
                    // 4 on they learn it from their plan (pruningPlan: at their next check step, or between checks
                    // every 2 s at most) and end there with their value. Cancelling one raced with its own end: a trial that finished while this decision
                    // was being made got a cancel the server no longer knew, and the in-memory server then failed
                    // every retry of the workflow task.
                    runningCandidates.forEach((trialId, c) -> {
                        if (c.name().equals(r.candidate()) && !stopped.containsKey(trialId)) {
                            stopped.put(trialId, "stopped: " + r.reason());
                            if (budgetVersion < 4) {
                                scopes.get(trialId).cancel(r.candidate() + " retired");
                            }
                        }
                    });
                }
            }
        }
        if (stop == null && launched < search.trials()) {
            log.info("search of run {} continues as new after {} trials", input.runId(), finished.size());
            Workflow.continueAsNew(new SearchInput(input.runId(), spec, input.features(), finished, observations, launched,
                    started, priors, input.trialsPerExecution(), input.pipeline(), events, List.copyOf(retired), budgetVersion));
        }
        if (stop == null) {
            stop = "trial budget of " + search.trials() + " used";
        }
        if (warmStartVersion >= 1) {
            tuning.recordObservations(new RecordObservationsInput(input.pipelineKey(), input.runId(), spaceHash, schemaHash,
                    observations.subList(priors, observations.size())));
        }
        return new SearchResult(finished, importance, stop, priors, events);
    }

    /**
     * Why a trial that just completed counts as far slower than its peers: more than {@link Alerts#SLOW_FACTOR}
     * times the median duration of the other completed trials of its family, once there are at least three.
     */
    static java.util.Optional<String> slowness(TrialResult result, List<TrialResult> finished) {
        if (!result.completed() || result.durationMs() <= 0) {
            return java.util.Optional.empty();
        }
        long[] peers = finished.stream().filter(r -> r.completed() && r != result && r.type() == result.type() && r.durationMs() > 0)
                .mapToLong(TrialResult::durationMs).sorted().toArray();
        if (peers.length < 3) {
            return java.util.Optional.empty();
        }
        double median = peers.length % 2 == 1 ? peers[peers.length / 2] : (peers[peers.length / 2 - 1] + peers[peers.length / 2]) / 2.0;
        if (result.durationMs() <= Alerts.SLOW_FACTOR * median) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(Locale.ROOT, "trial %s took %.1f s, %.1f× the median %.1f s of %d other %s trials",
                result.trialId(), result.durationMs() / 1000.0, result.durationMs() / median, median / 1000.0, peers.length,
                result.type().wire()));
    }

    /**
     * Trains one configuration on every fold at once and combines the folds into one trial: the mean of
     * their values (with the sample standard deviation and each fold's value). Failed if any fold failed,
     * pruned if any fold was pruned; no model (the run trains the chosen configuration on the usual split).
     */
    private static Promise<TrialResult> crossValidate(TrainingActivities trainer, TrialInput trial, int folds) {
        List<Promise<TrialResult>> parts = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            TrialInput part = new TrialInput(trial.runId(), trial.trialId() + "/fold-" + f, trial.candidate(), trial.task(),
                    trial.metric(), trial.features().forFold(f), trial.seed(), trial.device(), trial.pruning(), f, null,
                    trial.stopOnAnomaly(), null, trial.deadlineMillis());
            parts.add(Async.function(trainer::trainTrial, part));
        }
        return Async.function(() -> {
            List<TrialResult> results = new ArrayList<>();
            for (Promise<TrialResult> part : parts) {
                try {
                    results.add(part.get());
                } catch (ActivityFailure e) {
                    String why = e.getCause() instanceof ApplicationFailure app ? app.getOriginalMessage() : e.getMessage();
                    results.add(TrialResult.failed(trial.trialId(), trial.candidate().name(), trial.candidate().type(),
                            trial.candidate().params(), why));
                }
            }
            return CrossValidation.combine(trial, results);
        });
    }

    /** The flat search space: which candidate (when there are several), then each candidate's parameters. */
    public static List<SearchDimension> dimensions(List<ModelCandidate> candidates) {
        return dimensions(candidates, 0, ModelType.SCALING_STEPS_25_TO_200);
    }

    /**
     * The flat search space, default spaces scaled for {@code trainRows} training rows (0: unknown) under
     * {@code scaling} (see {@link ModelType#defaultSpace(long, int)}).
     */
    public static List<SearchDimension> dimensions(List<ModelCandidate> candidates, long trainRows, int scaling) {
        List<SearchDimension> out = new ArrayList<>();
        if (candidates.size() > 1) {
            out.add(new SearchDimension(SearchDimension.CANDIDATE,
                    ParamRange.choices(candidates.stream().map(ModelCandidate::name).toArray()), false));
        }
        for (ModelCandidate c : candidates) {
            Map<String, ParamRange> space = c.spaceOrDefault(trainRows, scaling);
            space.forEach((param, range) -> {
                if (param.equals(ModelType.UNITS) && space.containsKey(ModelType.LAYERS)) {
                    // Conditional: one width per possible layer; units<k> only counts when layers >= k (the
                    // optimizer sees it always, as it sees the parameters of candidates not chosen).
                    ParamRange layers = space.get(ModelType.LAYERS);
                    long most = layers.categorical()
                            ? layers.choices().stream().mapToLong(o -> ((Number) o).longValue()).max().orElse(1)
                            : Math.round(layers.high());
                    for (int k = 1; k <= most; k++) {
                        out.add(new SearchDimension(c.name() + "." + ModelType.UNITS + k, range, true));
                    }
                } else {
                    out.add(new SearchDimension(c.name() + "." + param, range, c.type().integerParameter(param)));
                }
            });
        }
        return out;
    }

    /**
     * Where a search starts: for each candidate, in the spec's order, its own parameters (those the spec fixes,
     * the family's defaults for the rest) placed in the space, so a search's first trial of each family is the
     * configuration a user would train without one, before any design point. Each start names the candidate
     * (when there are several) and the dimensions of that candidate's parameters; a value outside its range is
     * clamped into it, and one a categorical dimension does not offer gives way to its middle choice (the MLP's
     * default batch size 32 where the data's batch sizes start higher). Searched parameters with no fixed value
     * (the MLP's conditional layer widths) are left to the optimizer.
     */
    public static List<Map<String, Object>> starts(List<ModelCandidate> candidates, List<SearchDimension> dimensions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelCandidate c : candidates) {
            Map<String, Object> params = c.withDefaults().params();
            Map<String, Object> start = new LinkedHashMap<>();
            if (candidates.size() > 1) {
                start.put(SearchDimension.CANDIDATE, c.name());
            }
            String prefix = c.name() + ".";
            for (SearchDimension d : dimensions) {
                if (!d.name().startsWith(prefix)) {
                    continue;
                }
                Object value = params == null ? null : params.get(d.name().substring(prefix.length()));
                if (value != null) {
                    start.put(d.name(), place(d, value));
                }
            }
            out.add(start);
        }
        return out;
    }

    /** {@code value} as dimension {@code d} can take it (see {@link #starts}). */
    static Object place(SearchDimension d, Object value) {
        ParamRange r = d.range();
        if (r.categorical()) {
            List<Object> choices = r.choices();
            return choices.stream().filter(c -> sameChoice(c, value)).findFirst().orElse(choices.get(choices.size() / 2));
        }
        if (!(value instanceof Number n)) {
            return value;
        }
        double clamped = Math.max(r.low(), Math.min(r.high(), n.doubleValue()));
        return d.integer() ? (Object) Math.round(clamped) : (Object) clamped;
    }

    /**
     * Whether a configuration lies in the space: every dimension has a value, each categorical one of its choices,
     * each numeric one within its range (an earlier run's MLP learning rate below today's 3e-4 floor does not).
     */
    static boolean fits(List<SearchDimension> dimensions, Map<String, Object> config) {
        for (SearchDimension d : dimensions) {
            Object value = config.get(d.name());
            if (value == null) {
                return false;
            }
            ParamRange r = d.range();
            if (r.categorical() && r.choices().stream().noneMatch(c -> sameChoice(c, value))) {
                return false;
            }
            if (!r.categorical() && value instanceof Number n) {
                double slack = 1e-9 * Math.max(Math.abs(r.low()), Math.abs(r.high()));
                if (n.doubleValue() < r.low() - slack || n.doubleValue() > r.high() + slack) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code value} is the categorical {@code choice} (a value read back from JSON may be a different type). */
    private static boolean sameChoice(Object choice, Object value) {
        return choice.equals(value) || String.valueOf(choice).equals(String.valueOf(value));
    }

    /** The candidate a configuration chose, with the configuration's values for its parameters. */
    public static ModelCandidate candidateFor(List<ModelCandidate> candidates, Map<String, Object> config) {
        ModelCandidate chosen = candidates.size() == 1 ? candidates.get(0) : candidates.stream()
                .filter(c -> c.name().equals(String.valueOf(config.get(SearchDimension.CANDIDATE)))).findFirst().orElseThrow();
        Map<String, Object> params = new LinkedHashMap<>();
        String prefix = chosen.name() + ".";
        config.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                params.put(k.substring(prefix.length()), v);
            }
        });
        if (params.containsKey(ModelType.LAYERS)) {
            int layers = ((Number) params.remove(ModelType.LAYERS)).intValue();
            List<Integer> widths = new ArrayList<>();
            for (int k = 1; params.containsKey(ModelType.UNITS + k); k++) {
                int width = ((Number) params.remove(ModelType.UNITS + k)).intValue();
                if (k <= layers) {
                    widths.add(width);
                }
            }
            params.put("hiddenLayers", widths);
        }
        return chosen.with(params);
    }

    /** sha256 of a canonical text: deterministic, so it may run inside the workflow. */
    static String hash(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<TrialSummary> trials() {
        return List.copyOf(summaries.values());
    }

    @Override
    public List<RunEvent> events(int from) {
        return from <= 0 ? List.copyOf(events) : from >= events.size() ? List.of() : List.copyOf(events.subList(from, events.size()));
    }

    @Override
    public PruningPlan pruningPlan(String trialId) {
        return trialId == null ? null : livePlans.apply(trialId);
    }
}
