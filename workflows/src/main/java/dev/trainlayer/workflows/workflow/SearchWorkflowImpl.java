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
import io.temporal.workflow.Async;
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

    @Override
    public SearchResult run(SearchInput input) {
        PipelineSpec spec = input.spec();
        SearchSpec search = spec.search();
        List<SearchDimension> dimensions = dimensions(spec.models());
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
        int perExecution = input.trialsPerExecution() == null ? TRIALS_PER_EXECUTION : input.trialsPerExecution();
        int folds = pruningVersion >= 1 && search.kfold() != null && search.kfold() >= 2 ? search.kfold() : 0;
        String spaceHash = hash(dimensions.toString());
        String schemaHash = hash(input.features().featureNames() + "|" + input.features().classes() + "|" + spec.metric());
        if (warmStartVersion >= 1 && input.launched() == 0 && Boolean.TRUE.equals(search.warmStart())) {
            List<SearchObservation> earlier = tuning.priors(new PriorsInput(input.pipelineKey(), input.runId(), spaceHash, schemaHash));
            observations.addAll(earlier);
            priors = earlier.size();
        }
        Map<String, Promise<TrialResult>> running = new LinkedHashMap<>();
        Map<String, Map<String, Object>> runningConfigs = new LinkedHashMap<>();
        Map<String, ModelCandidate> runningCandidates = new LinkedHashMap<>();
        int launched = input.launched();
        int finishedHere = 0;
        int failuresInARow = 0;
        String stop = null;
        Map<String, Double> importance = Map.of();
        while (true) {
            if (stop == null && deadline != null && Workflow.currentTimeMillis() >= deadline) {
                stop = "time budget of " + search.timeBudget() + " used";
            }
            int want = stop != null || finishedHere >= perExecution ? 0
                    : Math.min(search.parallelism() - running.size(), search.trials() - launched);
            if (want > 0) {
                SuggestResult suggested = tuning.suggest(new SuggestInput(input.runId(), search.algorithm(), search.seed(),
                        dimensions, observations, List.copyOf(runningConfigs.values()), want));
                if (!suggested.importance().isEmpty()) {
                    importance = suggested.importance();
                }
                for (Map<String, Object> config : suggested.configs()) {
                    ModelCandidate candidate = candidateFor(spec.models(), config);
                    String trialId = String.format(Locale.ROOT, "%03d-%s", launched, candidate.name());
                    TrainingActivities trainer = Workflow.newActivityStub(TrainingActivities.class, ActivityPolicies.training(
                            RetrainWorkflowImpl.queueFor(candidate.type(), spec.compute().device()), trialId, candidate));
                    PruningPlan plan = pruningVersion >= 1 ? PruningPlan.build(search.pruning(), spec.metric(), candidate, finished) : null;
                    TrialInput trial = new TrialInput(input.runId(), trialId, candidate, spec.task(), spec.metric(),
                            input.features(), spec.seedOrDefault() + launched, spec.compute().device(), plan, null, null,
                            spec.stopsAnomalousTrials() ? Boolean.TRUE : null);
                    running.put(trialId, folds >= 2 ? crossValidate(trainer, trial, folds) : Async.function(trainer::trainTrial, trial));
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
                Map<String, Object> config = runningConfigs.remove(trialId);
                ModelCandidate candidate = runningCandidates.remove(trialId);
                TrialResult result;
                try {
                    result = promise.get().withoutCurve();
                } catch (ActivityFailure e) {
                    String why = e.getCause() instanceof ApplicationFailure app ? app.getOriginalMessage() : e.getMessage();
                    result = TrialResult.failed(trialId, candidate.name(), candidate.type(), candidate.params(), why);
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
                    observations.add(new SearchObservation(config, value));
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
        }
        if (stop == null && launched < search.trials()) {
            log.info("search of run {} continues as new after {} trials", input.runId(), finished.size());
            Workflow.continueAsNew(new SearchInput(input.runId(), spec, input.features(), finished, observations, launched,
                    started, priors, input.trialsPerExecution(), input.pipeline(), events));
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
                    trial.stopOnAnomaly());
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
        List<SearchDimension> out = new ArrayList<>();
        if (candidates.size() > 1) {
            out.add(new SearchDimension("candidate",
                    ParamRange.choices(candidates.stream().map(ModelCandidate::name).toArray()), false));
        }
        for (ModelCandidate c : candidates) {
            Map<String, ParamRange> space = c.spaceOrDefault();
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

    /** The candidate a configuration chose, with the configuration's values for its parameters. */
    public static ModelCandidate candidateFor(List<ModelCandidate> candidates, Map<String, Object> config) {
        ModelCandidate chosen = candidates.size() == 1 ? candidates.get(0) : candidates.stream()
                .filter(c -> c.name().equals(String.valueOf(config.get("candidate")))).findFirst().orElseThrow();
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
}
