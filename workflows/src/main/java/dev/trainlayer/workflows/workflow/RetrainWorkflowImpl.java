package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.activity.DataActivities;
import dev.trainlayer.workflows.activity.EvaluateInput;
import dev.trainlayer.workflows.activity.EvaluationActivities;
import dev.trainlayer.workflows.activity.EvaluationResult;
import dev.trainlayer.workflows.activity.FeaturesInput;
import dev.trainlayer.workflows.activity.FeaturesResult;
import dev.trainlayer.workflows.activity.LedgerInput;
import dev.trainlayer.workflows.activity.ModelArtifacts;
import dev.trainlayer.workflows.activity.OptimizeInput;
import dev.trainlayer.workflows.activity.PairedComparison;
import dev.trainlayer.workflows.activity.RegistryActivities;
import dev.trainlayer.workflows.activity.RunActivities;
import dev.trainlayer.workflows.activity.RunIndexInput;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.activity.TrainingActivities;
import dev.trainlayer.workflows.activity.TrialInput;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.activity.ValidateInput;
import dev.trainlayer.workflows.activity.ValidationReport;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.notify.Notification;
import dev.trainlayer.workflows.notify.Notifications;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.registry.ChampionInfo;
import dev.trainlayer.workflows.registry.ChampionQuery;
import dev.trainlayer.workflows.registry.Lineage;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.Optimization;
import dev.trainlayer.workflows.registry.PromoteRequest;
import dev.trainlayer.workflows.registry.RegisterRequest;
import dev.trainlayer.workflows.spec.ComputeSpec;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.PromotionSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.spec.SpecValidator;
import dev.trainlayer.workflows.spec.Violation;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * The retrain run. Deterministic: every side effect is an activity, time comes from {@link Workflow}.
 * Payloads are references and summaries; datasets, matrices and models stay in the store.
 */
public class RetrainWorkflowImpl implements RetrainWorkflow {
    private static final Logger log = Workflow.getLogger(RetrainWorkflowImpl.class);

    private final DataActivities data = Workflow.newActivityStub(DataActivities.class, ActivityPolicies.data());
    private final EvaluationActivities evaluation =
            Workflow.newActivityStub(EvaluationActivities.class, ActivityPolicies.evaluation());
    private final RunActivities runs = Workflow.newActivityStub(RunActivities.class, ActivityPolicies.light());
    private final RegistryActivities registry = Workflow.newActivityStub(RegistryActivities.class, ActivityPolicies.registry());

    private String runId;
    private boolean scheduled;
    private String project;
    private String pipeline;
    private String model;
    private PipelineSpec spec;
    private String specHash;
    private RunStatus status = RunStatus.RUNNING;
    private Phase phase = Phase.STARTING;
    private String datasetSha256;
    private long rows;
    private final Map<String, TrialSummary> trials = new LinkedHashMap<>();
    private String bestTrial;
    private Double bestObjective;
    private Map<String, Double> metrics = Map.of();
    private Map<String, Double> championMetrics = Map.of();
    private Integer championVersion;
    private List<GateResult> gates = List.of();
    private Integer modelVersion;
    private boolean promoted;
    private final List<String> reasons = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** What the optimize step made of the challenger (null: none asked for, or not reached). */
    private Optimization optimization;
    private ArtifactRef ledger;
    private ApprovalDecision decision;
    private Map<String, Double> importance;
    private String searchStop;
    private Integer searchPriors;
    private Integer warmStartedFrom;
    private Integer continuedChain;
    private Long feedbackUntil;
    private Long feedbackRows;
    private PairedComparison comparison;
    private String trigger;
    private String triggerReason;
    private Reproduction reproduction;
    /** What happened so far, in order (see {@link RunEvent}); a search's events join it when the search returns. */
    private final List<RunEvent> events = new ArrayList<>();

    /** Version 1: the run publishes its webhook events (see {@link Alerts}). */
    private int notifyVersion;

    /** When this run started (replays return the same time), for its duration metric. */
    private long startedAtMillis;

    @Override
    public RunState run(RetrainInput input) {
        notifyVersion = Workflow.getVersion("notifications", Workflow.DEFAULT_VERSION, 1);
        startedAtMillis = Workflow.currentTimeMillis();
        RunMetrics.started(input.project(), input.spec() == null ? null : input.spec().name(),
                input.trigger() != null ? input.trigger() : input.runId() == null ? "schedule" : "api");
        try {
            return execute(input);
        } catch (io.temporal.failure.CanceledFailure e) {
            RunMetrics.finished(project, spec == null ? null : spec.name(), RunStatus.CANCELLED.name(), startedAtMillis);
            throw e;
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof io.temporal.failure.CanceledFailure) {
                // The run was cancelled while the activity ran: not a failure to announce.
                RunMetrics.finished(project, spec == null ? null : spec.name(), RunStatus.CANCELLED.name(), startedAtMillis);
                throw e;
            }
            // Surface the activity's own failure (type and message) as the run's failure, so a user sees
            // "DATA_INVALID: target: column 'y' is not in the data" rather than a generic activity error.
            if (e.getCause() instanceof ApplicationFailure app && app.isNonRetryable()) {
                ApplicationFailure surfaced = ApplicationFailure.newNonRetryableFailure(app.getOriginalMessage(), app.getType());
                notifyFailed(app.getType(), app.getOriginalMessage());
                throw surfaced;
            }
            notifyFailed("ACTIVITY_FAILED", rootMessage(e));
            throw e;
        } catch (ApplicationFailure e) {
            notifyFailed(e.getType(), e.getOriginalMessage());
            throw e;
        } catch (io.temporal.failure.ChildWorkflowFailure e) {
            if (e.getCause() instanceof io.temporal.failure.CanceledFailure) {
                RunMetrics.finished(project, spec == null ? null : spec.name(), RunStatus.CANCELLED.name(), startedAtMillis);
                throw e;
            }
            notifyFailed("SEARCH_FAILED", rootMessage(e));
            throw e;
        }
    }

    private void notifyFailed(String type, String message) {
        RunMetrics.finished(project, spec == null ? null : spec.name(), RunStatus.FAILED.name(), startedAtMillis);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", RunStatus.FAILED.name());
        data.put("phase", phase.name());
        data.put("failureType", type);
        data.put("failure", message == null ? "" : message);
        notifyRun(Alerts.RUN_FAILED, "run " + runId + " failed in " + phase + ": " + type + ": " + message, data);
    }

    /** Publishes one of the run's webhook events; its id is the run's and the event's, so it goes out once per run. */
    private void notifyRun(String event, String summary, Map<String, Object> data) {
        if (notifyVersion < 1 || runId == null) {
            return;
        }
        Notifications.publish(new Notification(runId + "/" + event, event, project == null ? Projects.DEFAULT : project,
                spec == null ? null : spec.name(), spec == null ? null : spec.model(), runId, Workflow.currentTimeMillis(), summary, data));
    }

    /** The fields every run event carries. */
    private Map<String, Object> runData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", status.name());
        data.put("phase", phase.name());
        if (spec != null) {
            data.put("metric", spec.metric().wire());
        }
        if (!metrics.isEmpty()) {
            data.put("metrics", metrics);
        }
        if (!championMetrics.isEmpty()) {
            data.put("championMetrics", championMetrics);
        }
        if (championVersion != null) {
            data.put("championVersion", championVersion);
        }
        if (modelVersion != null) {
            data.put("modelVersion", modelVersion);
        }
        if (bestTrial != null) {
            data.put("bestTrial", bestTrial);
        }
        if (!reasons.isEmpty()) {
            data.put("reasons", List.copyOf(reasons));
        }
        return data;
    }

    private RunState execute(RetrainInput input) {
        // A schedule starts runs without a run id: each takes its own from its workflow id.
        scheduled = input.runId() == null;
        runId = scheduled ? WorkflowIds.scheduledRunId(Workflow.getInfo().getWorkflowId()) : input.runId();
        project = input.project();
        // Keys and child workflow ids carry the project; runs from before projects keep bare names.
        pipeline = input.spec() == null ? null : Projects.qualify(project, input.spec().name());
        List<Violation> violations = input.spec() == null
                ? List.of(new Violation("$", "the spec is missing"))
                : SpecValidator.standard().validate(input.spec());
        if (!violations.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure("invalid spec: "
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")),
                    FailureTypes.INVALID_SPEC);
        }
        // Version 1: a spec without candidates gets the linear model and the forest beside the trees and the network.
        spec = input.spec().withDefaults(Workflow.getVersion("default-families", Workflow.DEFAULT_VERSION, 1) >= 1
                ? PipelineSpec.DEFAULT_FAMILIES : PipelineSpec.EARLIER_DEFAULT_FAMILIES);
        model = Projects.qualify(project, spec.model());
        specHash = SpecParser.hash(spec);
        trigger = input.trigger();
        triggerReason = input.triggerReason();
        if (input.reproduce() != null) {
            return reproduce(input.reproduce());
        }
        if (scheduled || trigger != null) {
            // Started by a schedule or a trigger, not through the API: the run writes its own index entry.
            runs.indexRun(new RunIndexInput(runId, Workflow.getInfo().getWorkflowId(), spec.name(), spec.model(),
                    java.time.Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString(), specHash, input.spec(),
                    input.requestedBy(), project));
        }

        enter(Phase.SNAPSHOT);
        SnapshotInput snapshotInput = new SnapshotInput(runId, Projects.qualify(project, spec.name()), spec.data().uri(), project);
        if (spec.data().includesFeedback() && Workflow.getVersion("feedback", Workflow.DEFAULT_VERSION, 1) >= 1) {
            // The parts received before this point and no later ones, on every retry of the snapshot.
            feedbackUntil = Workflow.currentTimeMillis();
            snapshotInput = new SnapshotInput(runId, snapshotInput.dataset(), snapshotInput.uri(), project,
                    Keys.feedback(pipeline), feedbackUntil);
        }
        if (!"csv".equals(spec.data().format())) {
            snapshotInput = snapshotInput.withFormat(spec.data().format());
        }
        SnapshotResult snapshot = data.snapshot(snapshotInput);
        datasetSha256 = snapshot.sha256();
        rows = snapshot.rows();
        feedbackRows = snapshot.feedbackRows();

        enter(Phase.VALIDATE);
        String championData = null;
        if (Workflow.getVersion("validation-vs-champion", Workflow.DEFAULT_VERSION, 1) >= 1) {
            ChampionInfo current = registry.champion(new ChampionQuery(model));
            if (current.exists() && current.version().lineage() != null && current.version().lineage().pipeline() != null
                    && current.version().lineage().datasetSha256() != null) {
                championData = Keys.datasetData(current.version().lineage().pipeline(), current.version().lineage().datasetSha256());
            }
        }
        ValidationReport report = data.validate(new ValidateInput(runId, spec, snapshot, championData));
        warnings.addAll(report.warnings());
        report.warnings().forEach(w -> events.add(RunEvent.alert(Alerts.DATA_WARNING, null, w, Workflow.currentTimeMillis())));
        if (!report.warnings().isEmpty()) {
            Map<String, Object> data = runData();
            data.put("warnings", List.copyOf(report.warnings()));
            notifyRun(Alerts.DATA_WARNING, "run " + runId + ": the data passed validation with " + report.warnings().size()
                    + " warning(s): " + report.warnings().get(0), data);
        }

        enter(Phase.FEATURES);
        // Incremental training continues the champion, so its features must be encoded the champion's way.
        ModelVersion base = spec.incrementalOn() && Workflow.getVersion("incremental-training", Workflow.DEFAULT_VERSION, 1) >= 1
                ? incrementalBase(registry.champion(new ChampionQuery(model)))
                : null;
        FeaturesResult features = data.buildFeatures(base == null ? new FeaturesInput(runId, spec, snapshot)
                : new FeaturesInput(runId, spec, snapshot, base.featurePipeline(), base.version()));
        if (base != null && features.reuse() != null) {
            features.reuse().notes().forEach(n -> warnings.add("incremental: " + n));
            if (!features.reuse().reused()) {
                warnings.add("incremental: trained from scratch instead of continuing version " + base.version());
                base = null;
            }
        }

        enter(Phase.TRAINING);
        List<TrialResult> results;
        int searchVersion = Workflow.getVersion("hyperparameter-search", Workflow.DEFAULT_VERSION, 1);
        if (base != null) {
            results = List.of(trainIncremental(base, features));
            warmStartedFrom = base.version();
            continuedChain = base.lineage().chain() + 1;
        } else if (searchVersion >= 1 && spec.search() != null) {
            SearchWorkflow search = Workflow.newChildWorkflowStub(SearchWorkflow.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.retrain(pipeline, runId) + "/search")
                    .setTaskQueue(TaskQueues.CONTROL)
                    .build());
            SearchResult searched = search.run(SearchInput.start(runId, spec, features, pipeline));
            events.addAll(searched.events());
            results = searched.trials();
            searched.trials().forEach(r -> trials.put(r.trialId(), TrialSummary.of(r)));
            importance = searched.importance();
            searchStop = searched.stopReason();
            searchPriors = searched.priors();
        } else {
            results = runTrials(features);
        }
        List<TrialResult> searched = results;
        TrialResult finalTrial = null;
        int finalVersion = Workflow.getVersion("kfold-final-training", Workflow.DEFAULT_VERSION, 1);
        if (finalVersion >= 1 && !features.folds().isEmpty()) {
            // Cross-validated trials have no model of their own: train the chosen configuration on the usual
            // split (early-stopped on its validation rows) to get the challenger.
            TrialResult chosen = bestOrNull(searched);
            if (chosen != null) {
                finalTrial = trainFinal(chosen, features);
                results = new ArrayList<>(searched);
                results.add(finalTrial);
            }
        } else if (base == null && searchVersion >= 1 && spec.search() != null && spec.search().refitOrDefault()
                && Workflow.getVersion("refit-on-validation", Workflow.DEFAULT_VERSION, 1) >= 1) {
            TrialResult chosen = bestOrNull(searched);
            if (chosen != null && chosen.bestEpoch() > 0) {
                finalTrial = refit(chosen, features);
                if (finalTrial != null) {
                    results = new ArrayList<>(searched);
                    results.add(finalTrial);
                }
            }
        }
        ledger = runs.writeLedger(new LedgerInput(runId, pipeline, datasetSha256, results));
        TrialResult best = best(searched);
        if (finalTrial != null) {
            best = finalTrial;
        }

        enter(Phase.EVALUATE);
        ChampionInfo champion = registry.champion(new ChampionQuery(model));
        ModelArtifacts challengerArtifacts = new ModelArtifacts(best.type(), best.model(), features.pipeline());
        // Since optimization: the champion is judged as it is served (its optimized model when that passed).
        int optimizeVersion = Workflow.getVersion("model-optimization", Workflow.DEFAULT_VERSION, 1);
        ModelArtifacts championArtifacts = !champion.exists() ? null
                : optimizeVersion >= 1 ? champion.version().serving() : champion.version().trained();
        boolean significance = spec.gates().significance() != null
                && Workflow.getVersion("significance-gates", Workflow.DEFAULT_VERSION, 1) >= 1;
        EvaluationResult scores = evaluation.evaluate(new EvaluateInput(
                runId, spec.task(), spec.target(), features.testRaw(), challengerArtifacts, championArtifacts,
                significance ? spec.gates().significance() : null, spec.metric(), spec.seedOrDefault()));
        comparison = scores.comparison();
        metrics = scores.challenger();
        championMetrics = scores.champion();
        championVersion = champion.exists() ? champion.version().version() : null;

        enter(Phase.GATES);
        gates = Gates.evaluate(spec.gates(), spec.metric(), metrics, championMetrics, comparison);
        List<GateResult> failed = gates.stream().filter(g -> !g.passed()).toList();
        if (!failed.isEmpty()) {
            failed.forEach(g -> reasons.add("gate " + g.gate() + " failed: " + g.detail()));
            failed.forEach(g -> RunMetrics.gateRejected(project, spec.name(), g.gate()));
            return finish(RunStatus.REJECTED);
        }

        if (spec.optimize() != null && optimizeVersion >= 1) {
            enter(Phase.OPTIMIZE);
            optimization = regated(optimize(best, challengerArtifacts, features, finalTrial != null && finalTrial.trialId().endsWith("/refit")));
        }

        enter(Phase.REGISTER);
        ModelVersion version = registry.register(new RegisterRequest(model, runId, spec.task(), best.type(),
                spec.metric(), metrics, features.classes(), lineage(snapshot, best), best.model(), features.pipeline(),
                comparison, championVersion, scores.evidence(), gates, List.copyOf(warnings), optimization));
        modelVersion = version.version();

        if (spec.promotion().mode() == PromotionSpec.Mode.APPROVAL) {
            enter(Phase.AWAITING_APPROVAL);
            notifyRun(Alerts.RUN_AWAITING_APPROVAL, "run " + runId + ": version " + modelVersion + " of " + spec.model()
                    + " passed its gates and waits for approval (POST /api/v1/runs/" + runId + "/approve)", runData());
            Duration timeout = spec.promotion().approvalTimeoutDuration();
            boolean decided = Workflow.await(timeout, () -> decision != null);
            if (!decided) {
                reasons.add("no approval within " + spec.promotion().approvalTimeout() + "; version " + modelVersion
                        + " stays registered and can be promoted later");
                return finish(RunStatus.REJECTED);
            }
            if (!decision.approved()) {
                reasons.add("rejected by " + actor(decision.actor())
                        + (decision.comment() == null ? "" : ": " + decision.comment()));
                return finish(RunStatus.REJECTED);
            }
        }

        enter(Phase.PROMOTE);
        String actor = decision == null ? "trainlayer (auto)" : actor(decision.actor());
        String why = decision == null ? "run " + runId + " passed its gates" : "approved in run " + runId;
        registry.promote(new PromoteRequest(model, modelVersion, actor, why));
        promoted = true;
        return finish(RunStatus.SUCCEEDED);
    }

    private List<TrialResult> runTrials(FeaturesResult features) {
        List<ModelCandidate> candidates = spec.models();
        List<Promise<TrialResult>> pending = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            ModelCandidate candidate = candidates.get(i);
            String trialId = String.format("%02d-%s", i, candidate.name());
            ids.add(trialId);
            trials.put(trialId, TrialSummary.running(trialId, candidate.name(), candidate.type(), candidate.params()));
            events.add(RunEvent.trialStarted(trialId, Workflow.currentTimeMillis()));
            TrainingActivities trainer = Workflow.newActivityStub(TrainingActivities.class,
                    ActivityPolicies.training(queueFor(candidate.type(), spec.compute().device()), trialId, candidate));
            TrialInput input = new TrialInput(runId, trialId, candidate, spec.task(), spec.metric(), features,
                    spec.seedOrDefault() + i, spec.compute().device(), null, null, null, spec.stopsAnomalousTrials() ? Boolean.TRUE : null);
            pending.add(Async.function(trainer::trainTrial, input));
        }
        List<TrialResult> results = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            ModelCandidate candidate = candidates.get(i);
            TrialResult result;
            try {
                result = pending.get(i).get();
            } catch (ActivityFailure e) {
                String why = rootMessage(e);
                log.warn("trial {} failed: {}", ids.get(i), why);
                result = TrialResult.failed(ids.get(i), candidate.name(), candidate.type(), candidate.params(), why);
            }
            trials.put(result.trialId(), TrialSummary.of(result));
            events.add(RunEvent.trialEnded(result, Workflow.currentTimeMillis()));
            results.add(result);
        }
        return results;
    }

    /**
     * The search's choice trained once more on the training and validation rows together, for the rounds or epochs its
     * early stopping kept, to become the challenger (see {@code search.refit}). Should it fail, the search's own model
     * stays the challenger and the run says so; a cancelled run stays cancelled.
     */
    private TrialResult refit(TrialResult chosen, FeaturesResult features) {
        String trialId = chosen.trialId() + "/refit";
        try {
            return trainAgain(chosen, features, trialId, chosen.bestEpoch());
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof io.temporal.failure.CanceledFailure) {
                throw e;
            }
            String why = e.getCause() instanceof ApplicationFailure a ? a.getOriginalMessage() : String.valueOf(e.getCause());
            TrialSummary running = trials.get(trialId);
            trials.put(trialId, new TrialSummary(trialId, running.candidate(), running.type(), TrialResult.FAILED, null, Map.of(),
                    0, 0, 0, 0, 0, null, why, running.params(), null));
            warnings.add("refit: training " + chosen.trialId() + "'s configuration on the training and validation rows failed ("
                    + why + "); the search's model is the challenger");
            events.add(new RunEvent(RunEvent.TRIAL_FINISHED, Workflow.currentTimeMillis(), null, trialId, TrialResult.FAILED, null,
                    why));
            return null;
        }
    }

    /** Cross-validated trials have no model of their own: the chosen configuration trained on the usual split. */
    private TrialResult trainFinal(TrialResult chosen, FeaturesResult features) {
        return trainAgain(chosen, features, chosen.trialId() + "/final", null);
    }

    /** The chosen configuration trained once more as trial {@code trialId} ({@code refitSteps}: see {@link TrialInput}). */
    private TrialResult trainAgain(TrialResult chosen, FeaturesResult features, String trialId, Integer refitSteps) {
        ModelCandidate base = spec.models().stream().filter(c -> c.name().equals(chosen.candidate())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no candidate named " + chosen.candidate()));
        long seed = chosen.seed() == null ? spec.seedOrDefault() : chosen.seed();
        return trainOne(new TrialInput(runId, trialId, base.with(chosen.params()), spec.task(), spec.metric(), features,
                seed, spec.compute().device(), null, null, null, null, refitSteps));
    }

    /**
     * One trial outside a search, shown as it runs: its summary and events before and after. A failure is the caller's
     * (it propagates).
     */
    private TrialResult trainOne(TrialInput input) {
        ModelCandidate candidate = input.candidate();
        String trialId = input.trialId();
        trials.put(trialId, TrialSummary.running(trialId, candidate.name(), candidate.type(), candidate.params()));
        events.add(RunEvent.trialStarted(trialId, Workflow.currentTimeMillis()));
        TrainingActivities trainer = Workflow.newActivityStub(TrainingActivities.class,
                ActivityPolicies.training(queueFor(candidate.type(), spec.compute().device()), trialId, candidate));
        TrialResult result = trainer.trainTrial(input);
        trials.put(trialId, TrialSummary.of(result));
        events.add(RunEvent.trialEnded(result, Workflow.currentTimeMillis()));
        return result;
    }

    /**
     * The challenger pruned and quantized as the spec asks, measured against itself on the test rows. An optimization that
     * cannot be made (its activity failed for good) costs the run nothing: the version serves the model as trained, and
     * the run and the version's record say why.
     */
    private Optimization optimize(TrialResult best, ModelArtifacts challenger, FeaturesResult features, boolean refit) {
        ModelCandidate candidate = new ModelCandidate(best.type(), best.candidate(), best.params());
        TrainingActivities trainer = Workflow.newActivityStub(TrainingActivities.class,
                ActivityPolicies.optimization(queueFor(best.type(), spec.compute().device()), best.trialId(), candidate));
        long seed = best.seed() == null ? spec.seedOrDefault() : best.seed();
        try {
            Optimization done = trainer.optimize(new OptimizeInput(runId, best.trialId(), challenger, best.params(), seed, spec.task(),
                    spec.metric(), features, spec.optimize(), spec.compute().device(), refit));
            if (!done.passed() && done.artifacts() != null) {
                warnings.add("optimize: the optimized model is not served (" + done.reason() + "); the version serves the model as trained");
            }
            return done;
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof io.temporal.failure.CanceledFailure) {
                throw e;
            }
            String why = rootMessage(e);
            warnings.add("optimize: could not optimize the model (" + why + "); the version serves the model as trained");
            return Optimization.skipped(spec.metric().wire(), 0, "optimization failed: " + why);
        }
    }

    /**
     * The optimized model is what will be served, so it must pass the run's gates too: the thresholds and the comparison
     * with the champion are checked again with its value of the metric (the gates judged the model as trained). One that
     * fails a gate is not served.
     */
    private Optimization regated(Optimization done) {
        if (!done.serves() || done.optimizedMetric() == null) {
            return done;
        }
        Map<String, Double> served = new java.util.TreeMap<>(metrics);
        served.put(spec.metric().wire(), done.optimizedMetric());
        List<GateResult> failed = Gates.evaluate(spec.gates(), spec.metric(), served, championMetrics, comparison).stream()
                .filter(g -> !g.passed()).toList();
        if (failed.isEmpty()) {
            return done;
        }
        String why = "the optimized model fails gate " + failed.get(0).gate() + " (" + failed.get(0).detail() + ")";
        warnings.add("optimize: " + why + "; the version serves the model as trained");
        return done.notServed(why);
    }

    /**
     * The champion to continue training, or null (with a warning saying why) when there is none that an
     * incremental run can build on.
     */
    private ModelVersion incrementalBase(ChampionInfo champion) {
        if (!champion.exists()) {
            warnings.add("incremental: model " + model + " has no champion yet; trained from scratch");
            return null;
        }
        ModelVersion v = champion.version();
        if (v.task() != spec.task()) {
            warnings.add("incremental: champion version " + v.version() + " is a " + v.task().wire() + " model and this spec is "
                    + spec.task().wire() + "; trained from scratch");
            return null;
        }
        if (spec.models().stream().noneMatch(c -> c.type() == v.type())) {
            warnings.add("incremental: champion version " + v.version() + " is " + v.type().wire()
                    + ", which this spec no longer trains; trained from scratch");
            return null;
        }
        if (!v.type().continuable()) {
            // Only reachable for families added after incremental runs (no older history holds one).
            warnings.add("incremental: champion version " + v.version() + " is a " + v.type().wire()
                    + " model, which cannot be continued; trained from scratch");
            return null;
        }
        if (v.lineage() == null || v.lineage().params() == null || v.featurePipeline() == null) {
            warnings.add("incremental: champion version " + v.version() + " has no recorded parameters or feature pipeline; "
                    + "trained from scratch");
            return null;
        }
        Integer every = spec.incremental().fromScratchEvery();
        if (every != null && v.lineage().chain() + 1 >= every) {
            warnings.add("incremental: champion version " + v.version() + " ends a chain of " + v.lineage().chain()
                    + " continued version(s); fromScratchEvery " + every + " trains this run from scratch");
            return null;
        }
        return v;
    }

    /**
     * One trial that continues training {@code base}: its own parameters, with the incremental section's
     * budget (further epochs or rounds) and its learning rate scaled.
     */
    private TrialResult trainIncremental(ModelVersion base, FeaturesResult features) {
        Map<String, Object> params = spec.incremental().continueParams(base.type(), base.lineage().params());
        ModelCandidate candidate = new ModelCandidate(base.type(), "incremental", params);
        ModelArtifacts from = base.trained();
        // A failure here is the run's failure, with its own type (INCOMPATIBLE_MODEL, ARTIFACT_MISSING, ...): there
        // is no other trial to fall back on.
        return trainOne(new TrialInput(runId, "00-incremental", candidate, spec.task(), spec.metric(), features,
                spec.seedOrDefault(), spec.compute().device(), null, null, from));
    }

    static String queueFor(ModelType type, ComputeSpec.Device device) {
        return type == ModelType.MLP && device == ComputeSpec.Device.GPU ? TaskQueues.TRAIN_GPU : TaskQueues.TRAIN;
    }

    private TrialResult bestOrNull(List<TrialResult> results) {
        TrialResult best = null;
        for (TrialResult r : results) {
            if (r.completed() && (best == null || spec.metric().better(r.objective(), best.objective()))) {
                best = r;
            }
        }
        return best;
    }

    private TrialResult best(List<TrialResult> results) {
        TrialResult best = bestOrNull(results);
        if (best == null) {
            String why = results.stream().map(r -> r.trialId() + ": " + r.failure()).collect(Collectors.joining("; "));
            throw ApplicationFailure.newNonRetryableFailure("no trial finished successfully (" + why + ")",
                    FailureTypes.NO_SUCCESSFUL_TRIAL);
        }
        bestTrial = best.trialId();
        bestObjective = Double.isNaN(best.objective()) ? null : best.objective();
        return best;
    }

    private Lineage lineage(SnapshotResult snapshot, TrialResult best) {
        return new Lineage(runId, pipeline, spec.data().uri(), snapshot.sha256(), specHash,
                new ArtifactRef(snapshot.data().bucket(), Keys.runSpec(runId), null, -1), best.trialId(), best.type(),
                best.params(), spec.seedOrDefault(), spec.split().seed(), best.environment(), warmStartedFrom, continuedChain,
                snapshot.feedbackRows(), snapshot.feedbackParts(), feedbackUntil, snapshot.feedbackManifest());
    }

    /**
     * A reproduction of a registered version (see {@link Reproduction}): the version's stored snapshot, validated and
     * encoded by the version's spec, its winning configuration trained once with the winner's seed (a refit again as a
     * refit, an incremental run again from its base), evaluated on the test rows, and compared with what the version
     * recorded. Nothing is registered, promoted or announced; the run's record carries the comparison.
     */
    private RunState reproduce(Reproduction.Request request) {
        enter(Phase.SNAPSHOT);
        SnapshotResult snapshot = data.snapshot(SnapshotInput.stored(runId, request.pipeline(), project, request.datasetSha256()));
        datasetSha256 = snapshot.sha256();
        rows = snapshot.rows();

        enter(Phase.VALIDATE);
        ValidationReport report = data.validate(new ValidateInput(runId, spec, snapshot, null));
        warnings.addAll(report.warnings());

        enter(Phase.FEATURES);
        ModelArtifacts base = request.warmStart();
        FeaturesResult features = data.buildFeatures(base == null ? new FeaturesInput(runId, spec, snapshot)
                : new FeaturesInput(runId, spec, snapshot, base.featurePipeline(), request.warmStartVersion()));

        enter(Phase.TRAINING);
        String trialId = request.trialId();
        TrialResult result = trainOne(new TrialInput(runId, trialId, new ModelCandidate(request.type(), request.candidate(),
                request.params()), spec.task(), spec.metric(), features, request.seed(), spec.compute().device(), null, null, base,
                spec.stopsAnomalousTrials() ? Boolean.TRUE : null, request.refitSteps()));
        if (!result.completed()) {
            throw ApplicationFailure.newNonRetryableFailure("the reproduced trial " + trialId + " did not complete: " + result.failure(),
                    FailureTypes.NO_SUCCESSFUL_TRIAL);
        }
        ledger = runs.writeLedger(new LedgerInput(runId, pipeline, datasetSha256, List.of(result)));
        bestTrial = trialId;
        bestObjective = Double.isNaN(result.objective()) ? null : result.objective();

        enter(Phase.EVALUATE);
        EvaluationResult scores = evaluation.evaluate(new EvaluateInput(runId, spec.task(), spec.target(), features.testRaw(),
                new ModelArtifacts(result.type(), result.model(), features.pipeline()), null, null, spec.metric(), spec.seedOrDefault()));
        metrics = scores.challenger();
        reproduction = Reproduction.compare(request, snapshot.sha256(), features.pipeline().sha256(), result.model().sha256(), metrics,
                result.environment());

        status = RunStatus.SUCCEEDED;
        RunMetrics.finished(project, spec.name(), status.name(), startedAtMillis);
        enter(Phase.DONE);
        events.add(RunEvent.finished(status, Workflow.currentTimeMillis(), "reproduced version " + request.ofVersion() + ": "
                + (reproduction.identical() ? "identical" : "differs in " + reproduction.differences().stream()
                        .map(Reproduction.Difference::field).collect(Collectors.joining(", ")))));
        runs.writeReport(status());
        return status();
    }

    private RunState finish(RunStatus outcome) {
        status = outcome;
        RunMetrics.finished(project, spec.name(), outcome.name(), startedAtMillis);
        enter(Phase.DONE);
        events.add(RunEvent.finished(outcome, Workflow.currentTimeMillis(), reasons.isEmpty() ? null : String.join("; ", reasons)));
        if (outcome == RunStatus.SUCCEEDED) {
            notifyRun(Alerts.RUN_SUCCEEDED, "run " + runId + " succeeded: version " + modelVersion + " of " + spec.model()
                    + (promoted ? " is champion" : " is registered") + (bestObjective == null ? ""
                    : " (" + spec.metric().wire() + " " + metrics.get(spec.metric().wire()) + ")"), runData());
        } else if (outcome == RunStatus.REJECTED) {
            notifyRun(Alerts.RUN_REJECTED, "run " + runId + " was rejected: " + String.join("; ", reasons), runData());
        }
        runs.writeReport(status());
        return status();
    }

    private void enter(Phase next) {
        phase = next;
        events.add(RunEvent.phase(next, Workflow.currentTimeMillis()));
        List<io.temporal.common.SearchAttributeUpdate<?>> updates = new ArrayList<>();
        updates.add(SearchAttributes.PHASE.valueSet(next.name()));
        updates.add(SearchAttributes.STATUS.valueSet(status.name()));
        if ((scheduled || trigger != null) && spec != null) {
            // A schedule's start options do not carry our search attributes to the runs it starts: the run
            // sets its own pipeline and model, so it is found like any other.
            updates.add(SearchAttributes.PIPELINE.valueSet(spec.name()));
            updates.add(SearchAttributes.MODEL.valueSet(spec.model()));
            if (project != null) {
                updates.add(SearchAttributes.PROJECT.valueSet(project));
            }
        }
        if (bestObjective != null && Workflow.getVersion("best-metric-attribute", Workflow.DEFAULT_VERSION, 1) >= 1) {
            updates.add(SearchAttributes.BEST_METRIC.valueSet(bestObjective));
        }
        Workflow.upsertTypedSearchAttributes(updates.toArray(io.temporal.common.SearchAttributeUpdate<?>[]::new));
        // What the Temporal UI shows as the run's current details.
        Workflow.setCurrentDetails("phase " + next + (trials.isEmpty() ? "" : ", " + trials.size() + " trial(s)")
                + (bestTrial == null ? "" : ", best " + bestTrial + (bestObjective == null ? "" : " = " + bestObjective)));
        log.info("run {} entered {}", runId, next);
    }

    private static String actor(String actor) {
        return actor == null || actor.isBlank() ? "an approver" : actor;
    }

    private static String rootMessage(TemporalFailure failure) {
        Throwable t = failure;
        String message = failure.getMessage();
        while (t != null) {
            if (t instanceof ApplicationFailure app) {
                message = app.getOriginalMessage();
            } else if (t instanceof TemporalFailure tf && tf.getOriginalMessage() != null && !tf.getOriginalMessage().isBlank()) {
                message = tf.getOriginalMessage();
            }
            t = t.getCause();
        }
        return message;
    }

    @Override
    public RunState status() {
        return new RunState(runId, pipeline, model, status, phase, datasetSha256, rows, specHash,
                spec == null ? null : spec.metric(), List.copyOf(trials.values()), bestTrial, metrics, championMetrics,
                championVersion, gates, modelVersion, promoted, List.copyOf(reasons), List.copyOf(warnings), ledger,
                importance, searchStop, searchPriors, warmStartedFrom, feedbackRows, comparison, trigger, triggerReason, reproduction,
                optimization);
    }

    @Override
    public List<RunEvent> events(int from) {
        return from <= 0 ? List.copyOf(events) : from >= events.size() ? List.of() : List.copyOf(events.subList(from, events.size()));
    }

    @Override
    public void decide(ApprovalDecision decision) {
        // The first decision wins; one that arrives before the run needs it is kept for when it does.
        if (this.decision == null && phase != Phase.DONE) {
            this.decision = decision;
        }
    }
}
