package dev.trainlayer.activities.train;

import dev.trainlayer.scoring.MlpArchitecture;
import dev.trainlayer.scoring.XgboostMetadata;
import dev.trainlayer.scoring.ModelFiles;

import ai.djl.Device;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Heartbeats;
import dev.trainlayer.activities.Json;
import dev.trainlayer.activities.notify.AlertSink;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.activity.IntermediateValue;
import dev.trainlayer.workflows.activity.PruningPlan;
import dev.trainlayer.workflows.activity.TrainingActivities;
import dev.trainlayer.workflows.activity.TrialInput;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelParams;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.Durations;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one trial. MLP trials checkpoint under {@code runs/{run}/trials/{trial}/attempt-{n}/} and heartbeat
 * the checkpoint's key; a retried attempt loads it and resumes at the next epoch. At the pruning plan's
 * check steps a trial records its validation value and stops when it falls below the plan's bar (status
 * {@code PRUNED}, no model). The final model goes to {@code runs/{run}/trials/{trial}/model/} once training
 * is complete.
 */
public class TrainingActivitiesImpl implements TrainingActivities {
    private static final Logger log = LoggerFactory.getLogger(TrainingActivitiesImpl.class);
    private static final String WORKER = ManagementFactory.getRuntimeMXBean().getName();

    /** The matrices this worker's trials read, kept between trials (see MatrixCache). */
    private static final MatrixCache MATRICES = MatrixCache.forWorker();

    private final ObjectStore store;
    private final AlertSink alerts;

    public TrainingActivitiesImpl(ObjectStore store) {
        this(store, AlertSink.NONE);
    }

    /** @param alerts where trials send the anomalies they see (webhooks), from a side thread */
    public TrainingActivitiesImpl(ObjectStore store, AlertSink alerts) {
        this.store = store;
        this.alerts = alerts;
    }

    private LiveTrial live(TrialInput input, int attempt, int patience, List<EpochMetrics> resumed) {
        return new LiveTrial(store, input.runId(), input.trialId(), attempt, patience, Boolean.TRUE.equals(input.stopOnAnomaly()),
                alerts, resumed);
    }

    /** An encoded matrix of the run's features, from this worker's cache or the store (its sha256 checked there). */
    private Matrix matrix(ArtifactRef ref) {
        return MATRICES.get(ref, () -> Matrix.fromBytes(store.getBytes(ref)));
    }

    @Override
    public TrialResult trainTrial(TrialInput input) {
        MDC.put("runId", input.runId());
        MDC.put("trialId", input.trialId());
        try {
            long started = System.currentTimeMillis();
            int attempt = Heartbeats.attempt();
            Matrix train = matrix(input.features().train());
            Matrix validation = matrix(input.features().validation());
            int classes = input.features().classes().size();
            String modelPrefix = Keys.trialModel(input.runId(), input.trialId());
            String attemptPrefix = Keys.trialAttempt(input.runId(), input.trialId(), attempt);
            Map<String, Object> params = input.candidate().params();
            boolean refit = input.refitSteps() != null;
            if (refit) {
                train = train.append(validation);
                params = refitParams(input.candidate().type(), params, input.refitSteps());
                log.info("trial {} refits {} on {} training and validation rows for {} {}", input.trialId(),
                        input.candidate().type().wire(), train.rows(), input.refitSteps(),
                        input.candidate().type() == ModelType.MLP ? "epochs" : "rounds");
            }
            ClassWeights.Decision weighing = ClassWeights.decide(params, input.task(), input.metric(), train.labels(), classes,
                    input.features().classes());
            if (weighing.balanced()) {
                if (!ClassWeights.balanced(params)) {
                    // auto came to balanced: the trial's parameters say so (its record, the version's lineage, a refit).
                    params = new java.util.LinkedHashMap<>(params);
                    params.put(dev.trainlayer.workflows.spec.ModelParams.CLASS_WEIGHTS, ClassWeights.BALANCED);
                }
                log.info("trial {} weighs the classes ({}): {}", input.trialId(), weighing.reason(),
                        new java.util.TreeMap<>(ClassWeights.named(ClassWeights.perClass(train.labels(), classes), input.features().classes())));
            }
            try (TrialMeters.Active meter = TrialMeters.start(input.candidate().type().wire())) {
                java.util.function.BooleanSupplier pastDeadline = deadline(input);
                TrialResult result = switch (input.candidate().type()) {
                    case MLP -> trainMlp(input, train, validation, classes, params, attempt, attemptPrefix, modelPrefix, started,
                            pastDeadline);
                    case XGBOOST, LINEAR, FOREST -> trainXgboost(input, train, validation, classes, params, attempt, attemptPrefix,
                            modelPrefix, started, pastDeadline);
                };
                meter.outcome(result.status());
                // The validation rows were trained on: their scores say nothing about the model.
                return refit ? result.withoutValidation() : result;
            }
        } finally {
            MDC.remove("runId");
            MDC.remove("trialId");
        }
    }

    @Override
    public dev.trainlayer.workflows.registry.Optimization optimize(dev.trainlayer.workflows.activity.OptimizeInput input) {
        MDC.put("runId", input.runId());
        MDC.put("trialId", input.trialId());
        try (dev.trainlayer.activities.Liveness alive = dev.trainlayer.activities.Liveness.start()) {
            return new ModelOptimizer(store).optimize(input, () -> matrix(input.features().train()),
                    () -> matrix(input.features().validation()));
        } finally {
            MDC.remove("runId");
            MDC.remove("trialId");
        }
    }

    private TrialResult trainMlp(TrialInput input, Matrix train, Matrix validation, int classes, Map<String, Object> params,
                                 int attempt, String attemptPrefix, String modelPrefix, long started,
                                 java.util.function.BooleanSupplier pastDeadline) {
        Device device = Devices.select(input.device());
        Restored restored = resumeFromHeartbeat().orElse(null);
        MlpTrainer.Resume resume = restored == null ? null : restored.resume();
        Metric metric = input.metric();
        PruningPlan plan = planFor(input);
        if (resume != null) {
            log.info("trial {} attempt {} resumes after epoch {}", input.trialId(), attempt, resume.state().epoch());
            // The attempt that crashed may have passed a check step it should have stopped at.
            List<IntermediateValue> before = MlpTrainer.intermediate(resume.state().curve(), plan.steps());
            for (IntermediateValue v : before) {
                Optional<String> why = plan.check(v.step(), v.value());
                if (why.isPresent()) {
                    return pruned(input, params, resume.state(), before, why.get(), resume.state().epoch(), attempt, started, device);
                }
            }
        }
        MlpTrainer.Result result;
        Checkpointer checkpointer;
        MlpTrainer.Options options = MlpTrainer.Options.from(params);
        try (ProgressTicker ticker = new ProgressTicker(restored == null ? new TrialProgress(0, null, null)
                : new TrialProgress(resume.state().epoch(), restored.stateKey(), null));
             LiveTrial live = live(input, attempt, options.patience(), resume == null ? null : resume.state().curve())) {
            checkpointer = new Checkpointer(pastDeadline, attemptPrefix, restored == null ? null : restored.bestKey(),
                    restored == null ? null : restored.stateKey(), plan, LiveBars.of(input.trialId(), plan), metric, ticker, live);
            checkpointer.rows = train.rows();
            MlpTrainer.WarmStart warm = null;
            if (input.warmStart() != null) {
                String prefix = input.warmStart().model().key();
                Map<String, byte[]> files = warmStartFiles(input);
                MlpArchitecture architecture = Json.read(files.get("architecture.json"), MlpArchitecture.class);
                warm = new MlpTrainer.WarmStart(architecture, files.get("model.params"));
                log.info("trial {} continues training the network at {}", input.trialId(), prefix);
            }
            try {
                result = MlpTrainer.train(train, validation, input.task(), classes, metric, options, input.seed(), device, resume,
                        warm, checkpointer);
            } catch (io.temporal.failure.ApplicationFailure e) {
                if (FailureTypes.TRAINING_DIVERGED.equals(e.getType())) {
                    live.nonFinite(checkpointer.epochs + 1, e.getOriginalMessage());
                }
                throw e;
            }
        }
        MlpTrainer.State state = result.state();
        store.putBytes(attemptPrefix + "curve.json", Json.bytes(state.curve()), "application/json");
        List<IntermediateValue> intermediate = MlpTrainer.intermediate(state.curve(), plan.steps());
        if (checkpointer.pruned != null) {
            return pruned(input, params, state, intermediate, checkpointer.pruned, result.resumedFromEpoch(), attempt, started, device);
        }
        ArtifactRef architecture = store.putBytes(modelPrefix + "architecture.json", Json.bytes(result.architecture()), "application/json");
        ArtifactRef weights = store.putBytes(modelPrefix + "model.params", result.bestParameters(), "application/octet-stream");
        ArtifactRef model = modelRef(modelPrefix, architecture, weights);
        Map<String, Double> scores = state.bestMetrics();
        log.info("trial {} (mlp) finished: {} epochs, best epoch {}, validation {} = {}", input.trialId(), state.epoch(),
                state.bestEpoch(), metric.wire(), scores.get(metric.wire()));
        // Said only when the budget cut it short: at its last epoch anyway (maxEpochs, patience) it ended on its own.
        String note = checkpointer.stoppedAtDeadline && state.epoch() < options.maxEpochs() && state.badEpochs() < options.patience()
                ? deadlineNote(input, "epoch", state.epoch(), options.maxEpochs(), state.bestEpoch()) : null;
        return new TrialResult(input.trialId(), input.candidate().name(), input.candidate().type(), params,
                TrialResult.COMPLETED, note, scores.getOrDefault(metric.wire(), Double.NaN), scores, state.epoch(),
                state.bestEpoch(), result.resumedFromEpoch(), model, downsample(state.curve()),
                System.currentTimeMillis() - started, attempt, WORKER, Devices.name(device), Environment.describe(Devices.name(device)),
                intermediate, null, null, input.seed());
    }

    /**
     * The note a completed trial carries when the search's time budget stopped it (shown where a pruned trial shows
     * why it was pruned): how far it got and which step's model it keeps. Logged once, here.
     */
    static String deadlineNote(TrialInput input, String unit, int trained, int planned, int best) {
        String note = String.format(java.util.Locale.ROOT, "stopped at the search's time budget after %s %d of %d; its best %s (%d) is kept",
                unit, trained, planned, unit, best);
        log.info("trial {} ({}) {}", input.trialId(), input.candidate().type().wire(), note);
        return note;
    }

    private TrialResult pruned(TrialInput input, Map<String, Object> params, MlpTrainer.State state,
                               List<IntermediateValue> intermediate, String why, int resumedFrom, int attempt, long started,
                               Device device) {
        log.info("trial {} (mlp) {}", input.trialId(), why);
        double value = intermediate.isEmpty() ? Double.NaN : intermediate.get(intermediate.size() - 1).value();
        return new TrialResult(input.trialId(), input.candidate().name(), input.candidate().type(), params,
                TrialResult.PRUNED, why, value, state.bestMetrics(), state.epoch(), state.bestEpoch(), resumedFrom, null,
                downsample(state.curve()), System.currentTimeMillis() - started, attempt, WORKER, Devices.name(device),
                Environment.describe(Devices.name(device)), intermediate, null, null, input.seed());
    }

    /**
     * A refit's parameters: the chosen configuration, trained for exactly {@code steps} rounds or epochs (early stopping
     * can no longer end it: its patience outlasts the steps).
     */
    static Map<String, Object> refitParams(ModelType type, Map<String, Object> params, int steps) {
        Map<String, Object> refit = new java.util.LinkedHashMap<>(params);
        if (type == ModelType.FOREST) {
            return refit;   // one round, however many it is told
        }
        if (type == ModelType.MLP) {
            refit.put("maxEpochs", steps);
            refit.put("patience", steps + 1);
        } else {
            refit.put("numRounds", steps);
            refit.put("earlyStoppingRounds", steps + 1);
        }
        return refit;
    }

    /**
     * Whether the search's time budget (the trial's deadline) has run out, asked after every epoch or round: the trial
     * then stops and keeps its best so far. The deadline is on the Temporal server's clock, as is when this attempt was
     * scheduled; their difference is the time that was left, counted from now on this worker's clock (so the two
     * machines' clocks need not agree).
     */
    static java.util.function.BooleanSupplier deadline(TrialInput input) {
        if (input.deadlineMillis() == null) {
            return () -> false;
        }
        long scheduled = Heartbeats.context().map(c -> c.getInfo().getCurrentAttemptScheduledTimestamp())
                .filter(t -> t > 0).orElse(System.currentTimeMillis());
        long at = System.currentTimeMillis() + (input.deadlineMillis() - scheduled);
        return () -> System.currentTimeMillis() >= at;
    }

    /** The trial's plan, or the default check steps with no pruning (fixed candidates, older workflows). */
    static PruningPlan planFor(TrialInput input) {
        return input.pruning() != null ? input.pruning() : PruningPlan.recordOnly(input.candidate(), input.metric());
    }

    private TrialResult trainXgboost(TrialInput input, Matrix train, Matrix validation, int classes, Map<String, Object> params,
                                     int attempt, String attemptPrefix, String modelPrefix, long started,
                                     java.util.function.BooleanSupplier pastDeadline) {
        XgboostTrainer.Result result;
        XgboostTrainer.WarmStart warm = null;
        if (input.warmStart() != null) {
            String prefix = input.warmStart().model().key();
            Map<String, byte[]> files = warmStartFiles(input);
            warm = new XgboostTrainer.WarmStart(files.get("model.json"), Json.read(files.get("xgboost.json"), XgboostMetadata.class));
            log.info("trial {} continues boosting the model at {} after its round {}", input.trialId(), prefix,
                    warm.metadata().bestIteration() + 1);
        }
        // A forest trains one round: nothing to wait for.
        int patience = input.candidate().type() == ModelType.FOREST ? 1 : ModelParams.getInt(params, "earlyStoppingRounds");
        // Whether the trainer stopped because the deadline passed (not because it converged just before).
        boolean[] stoppedAtDeadline = {false};
        try (ProgressTicker ticker = new ProgressTicker(new TrialProgress(0, null, null));
             LiveTrial live = live(input, attempt, patience, null)) {
            int rows = train.rows();
            result = XgboostTrainer.train(input.candidate().type(), train, validation, input.task(), classes, input.metric(), params,
                    input.seed(), planFor(input), new XgboostTrainer.Progress() {
                        private final PruningPlan started = planFor(input);
                        private final LiveBars bars = LiveBars.of(input.trialId(), started);

                        @Override
                        public PruningPlan plan(int round, PruningPlan current) {
                            return bars.at(round, current);
                        }

                        @Override
                        public String onRound(EpochMetrics point, int bestRound) {
                            String retired = bars.stopBetweenChecks(point.epoch(), started);
                            if (retired != null) {
                                return retired;
                            }
                            double value = point.validationMetric();
                            ticker.report(new TrialProgress(point.epoch(), null, Double.isNaN(value) ? null : value));
                            // The metric is computed at check steps only; there it is also the value at the best round so far.
                            Double known = Double.isNaN(value) ? null : value;
                            TrialMeters.samples(input.candidate().type().wire(), rows);
                            return live.epoch(point, known, known, bestRound);
                        }

                        @Override
                        public boolean finishNow() {
                            stoppedAtDeadline[0] = pastDeadline.getAsBoolean();
                            return stoppedAtDeadline[0];
                        }
                    }, warm);
        }
        // finishNow is also asked after the last round, so the deadline cut the trial short only with rounds left.
        int planned = input.candidate().type() == ModelType.FOREST ? 1 : ModelParams.getInt(params, "numRounds");
        String note = stoppedAtDeadline[0] && result.pruned() == null && result.roundsTrained() < planned
                ? deadlineNote(input, "round", result.roundsTrained(), planned, result.bestRoundTrained()) : null;
        store.putBytes(attemptPrefix + "curve.json", Json.bytes(result.curve()), "application/json");
        Map<String, Double> scores = result.validationMetrics();
        if (result.pruned() != null) {
            log.info("trial {} (xgboost) {}", input.trialId(), result.pruned());
            List<IntermediateValue> at = result.intermediate();
            return new TrialResult(input.trialId(), input.candidate().name(), input.candidate().type(), params,
                    TrialResult.PRUNED, result.pruned(), at.isEmpty() ? Double.NaN : at.get(at.size() - 1).value(), scores,
                    result.roundsTrained(),
                    result.bestRoundTrained(), 0, null, downsample(result.curve()),
                    System.currentTimeMillis() - started, attempt, WORKER, "cpu", Environment.describe("cpu"), at, null, null, input.seed());
        }
        ArtifactRef metadata = store.putBytes(modelPrefix + "xgboost.json", Json.bytes(result.metadata()), "application/json");
        ArtifactRef trees = store.putBytes(modelPrefix + "model.json", result.modelJson(), "application/json");
        ArtifactRef model = modelRef(modelPrefix, metadata, trees);
        log.info("trial {} ({}) finished: {} rounds, best round {}, validation {} = {}", input.trialId(),
                input.candidate().type().wire(), result.metadata().rounds(), result.metadata().bestIteration() + 1, input.metric().wire(),
                scores.get(input.metric().wire()));
        return new TrialResult(input.trialId(), input.candidate().name(), input.candidate().type(), params,
                TrialResult.COMPLETED, note, scores.getOrDefault(input.metric().wire(), Double.NaN), scores,
                result.roundsTrained(), result.bestRoundTrained(), 0, model,
                downsample(result.curve()), System.currentTimeMillis() - started, attempt, WORKER, "cpu",
                Environment.describe("cpu"), result.intermediate(), null, null, input.seed());
    }

    /** The files of the model a trial wrote, with the digest over them that every later load checks. */
    private static ArtifactRef modelRef(String prefix, ArtifactRef first, ArtifactRef second) {
        Map<String, String> shas = new java.util.LinkedHashMap<>();
        shas.put(first.key().substring(prefix.length()), first.sha256());
        shas.put(second.key().substring(prefix.length()), second.sha256());
        return new ArtifactRef(first.bucket(), prefix, ModelFiles.digest(shas), -1);
    }

    /**
     * The files of the model an incremental trial continues, sha256-checked; gone from the store is not
     * something a retry fixes.
     */
    private Map<String, byte[]> warmStartFiles(TrialInput input) {
        ArtifactRef model = input.warmStart().model();
        try {
            return ModelFiles.read(store, input.warmStart().type(), model);
        } catch (ObjectNotFoundException e) {
            throw Failures.nonRetryable(FailureTypes.ARTIFACT_MISSING, "the model to continue is missing a file under s3://"
                    + model.bucket() + "/" + model.key() + "; restore it (bucket versioning or a backup) and reset the run, or "
                    + "run once without the incremental section to train from scratch");
        }
    }

    /**
     * Commits checkpoints at most every {@link #checkpointInterval()} (every epoch when epochs are slower
     * than that), so tiny epochs do not spend most of their time writing to the store, and heartbeats the
     * last committed one every epoch. A crash loses at most one interval of training.
     */
    private final class Checkpointer implements MlpTrainer.EpochListener {
        private final java.util.function.BooleanSupplier pastDeadline;
        private final String attemptPrefix;
        private final long intervalNanos = checkpointInterval().toNanos();
        private long lastCommit = System.nanoTime();
        private String committedState;
        private String bestKey;
        private byte[] unsavedBest;
        private int unsavedBestEpoch;
        /** The trial's plan, refreshed from its search at each check step. */
        private PruningPlan plan;
        private final LiveBars bars;
        private final Metric metric;
        private String pruned;
        /** Whether the search's time budget ended the training (the last epoch's answer was "stop" for that reason). */
        private boolean stoppedAtDeadline;

        private final ProgressTicker ticker;
        private final LiveTrial live;
        private int epochs;
        /** Training rows, counted once per epoch in the samples meter. */
        private int rows;

        Checkpointer(java.util.function.BooleanSupplier pastDeadline, String attemptPrefix, String restoredBestKey,
                     String restoredState, PruningPlan plan, LiveBars bars, Metric metric, ProgressTicker ticker, LiveTrial live) {
            this.pastDeadline = pastDeadline;
            this.live = live;
            this.attemptPrefix = attemptPrefix;
            this.bestKey = restoredBestKey;
            // Until this attempt commits its own, the checkpoint it resumed from is the one to resume from.
            this.committedState = restoredState;
            this.plan = plan;
            this.bars = bars;
            this.metric = metric;
            this.ticker = ticker;
        }

        @Override
        public boolean onEpoch(MlpTrainer.State state, Supplier<byte[]> latest, byte[] best) {
            epochs = state.epoch();
            TrialMeters.samples("mlp", rows);
            List<EpochMetrics> sofar = state.curve();
            EpochMetrics point = sofar.get(sofar.size() - 1);
            String anomaly = live.epoch(point, point.validationMetric(), state.bestMetrics().get(metric.wire()), state.bestEpoch());
            if (anomaly != null) {
                pruned = anomaly;
                return false; // as a pruned trial: no checkpoint, a retry sees the same curve and stops again
            }
            String retired = bars.stopBetweenChecks(state.epoch(), plan);
            if (retired != null) {
                pruned = retired;
                return false; // as a pruned trial: no checkpoint
            }
            if (plan.steps().contains(state.epoch())) {
                plan = bars.at(state.epoch(), plan);
                pruned = plan.check(state.epoch(), state.bestMetrics().getOrDefault(metric.wire(), Double.NaN)).orElse(null);
                if (pruned != null) {
                    return false; // no checkpoint: a retry re-decides from the last one and stops again
                }
            }
            if (best != null) {
                unsavedBest = best;
                unsavedBestEpoch = state.epoch();
            }
            if (System.nanoTime() - lastCommit >= intervalNanos) {
                String epoch = String.format("%05d", state.epoch());
                String latestKey = attemptPrefix + "checkpoints/epoch-" + epoch + ".params";
                store.putBytes(latestKey, latest.get(), "application/octet-stream");
                if (unsavedBest != null) {
                    bestKey = attemptPrefix + "checkpoints/best-epoch-" + String.format("%05d", unsavedBestEpoch) + ".params";
                    store.putBytes(bestKey, unsavedBest, "application/octet-stream");
                    unsavedBest = null;
                }
                // The state is written last: it is the commit point that names the two weight objects.
                committedState = attemptPrefix + "checkpoints/epoch-" + epoch + ".json";
                store.putBytes(committedState, Json.bytes(new MlpCheckpoint(store.bucket(), state, latestKey, bestKey)),
                        "application/json");
                lastCommit = System.nanoTime();
            }
            List<EpochMetrics> curve = state.curve();
            ticker.report(new TrialProgress(state.epoch(), committedState, curve.get(curve.size() - 1).validationMetric()));
            if (pastDeadline.getAsBoolean()) {
                stoppedAtDeadline = true;
                return false;   // not pruned: the trial completes with its best weights, as after early stopping
            }
            return true;
        }
    }

    /** {@code trainlayer.checkpoint.interval} (ISO-8601 or e.g. 2s); 0 checkpoints every epoch. Default 2 s. */
    static Duration checkpointInterval() {
        String value = System.getProperty("trainlayer.checkpoint.interval", "2s");
        return Durations.parse(value);
    }

    /** A checkpoint read back: the trainer's resume point and the key of the best weights so far. */
    private record Restored(MlpTrainer.Resume resume, String bestKey, String stateKey) {}

    private Optional<Restored> resumeFromHeartbeat() {
        return Heartbeats.context()
                .flatMap(c -> c.getHeartbeatDetails(TrialProgress.class))
                .filter(p -> p.checkpoint() != null)
                .flatMap(this::loadCheckpoint);
    }

    private Optional<Restored> loadCheckpoint(TrialProgress progress) {
        try {
            MlpCheckpoint checkpoint = Json.read(store.getBytes(store.bucket(), progress.checkpoint()), MlpCheckpoint.class);
            byte[] latest = store.getBytes(checkpoint.bucket(), checkpoint.latestParameters());
            byte[] best = checkpoint.bestParameters() == null ? null : store.getBytes(checkpoint.bucket(), checkpoint.bestParameters());
            return Optional.of(new Restored(new MlpTrainer.Resume(checkpoint.state(), latest, best), checkpoint.bestParameters(),
                    progress.checkpoint()));
        } catch (ObjectNotFoundException e) {
            log.warn("checkpoint {} is gone; the trial starts over", progress.checkpoint());
            return Optional.empty();
        }
    }

    static List<EpochMetrics> downsample(List<EpochMetrics> curve) {
        if (curve.size() <= TrialResult.MAX_CURVE_POINTS) {
            return curve;
        }
        List<EpochMetrics> out = new ArrayList<>();
        double step = (curve.size() - 1) / (double) (TrialResult.MAX_CURVE_POINTS - 1);
        for (int i = 0; i < TrialResult.MAX_CURVE_POINTS; i++) {
            out.add(curve.get((int) Math.round(i * step)));
        }
        return out;
    }
}
