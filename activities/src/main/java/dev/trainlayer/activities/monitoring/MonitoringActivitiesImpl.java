package dev.trainlayer.activities.monitoring;

import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Heartbeats;
import dev.trainlayer.activities.Liveness;
import dev.trainlayer.scoring.Monitoring;
import dev.trainlayer.scoring.Scorer;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.AutoRollbackInput;
import dev.trainlayer.workflows.activity.MonitorCheck;
import dev.trainlayer.workflows.activity.MonitorCheckInput;
import dev.trainlayer.workflows.activity.MonitoringActivities;
import dev.trainlayer.workflows.artifact.FeedbackParts;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.client.RegistryClient;
import dev.trainlayer.workflows.client.WorkflowStatus;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.RegistryCommand;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.registry.RollbackRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks for a pipeline's monitor, through the same {@link Monitoring} code as the API's monitoring route. The
 * champion's scorer and training-data sample stay loaded between checks (a monitor checks every few minutes).
 */
public class MonitoringActivitiesImpl implements MonitoringActivities {
    private static final Logger log = LoggerFactory.getLogger(MonitoringActivitiesImpl.class);
    private static final Duration REGISTRY_WAIT = Duration.ofMinutes(2);

    private final ObjectStore store;
    private final WorkflowClient client;
    /** Champions kept loaded between checks (one per monitored model, the most recently checked first to go). */
    static final int LOADED = 4;

    /** A champion's scorer and training-data sample, with the checks using it now. */
    private static final class Loaded {
        final Scorer scorer;
        final Table reference;
        int users;
        boolean evicted;

        Loaded(Scorer scorer, Table reference) {
            this.scorer = scorer;
            this.reference = reference;
        }
    }

    private final java.util.LinkedHashMap<String, Loaded> loaded = new java.util.LinkedHashMap<>(8, 0.75f, true);

    public MonitoringActivitiesImpl(ObjectStore store, WorkflowClient client) {
        this.store = store;
        this.client = client;
    }

    @Override
    public MonitorCheck check(MonitorCheckInput input) {
        try (Liveness alive = Liveness.start()) {
            return checkBody(input);
        }
    }

    private MonitorCheck checkBody(MonitorCheckInput input) {
        boolean running = input.activeRun() != null && WorkflowStatus.running(client, input.activeRun());
        Optional<RegistryState> registry = RegistryClient.state(client, input.registry());
        Optional<ModelVersion> champion = registry.flatMap(RegistryState::championVersion);
        List<String> notes = new ArrayList<>();
        if (champion.isEmpty()) {
            // Nothing to watch yet; labels still count toward a first model.
            long labels = newLabels(input.pipeline(), input.labelsAfterMillis() == null ? 0 : input.labelsAfterMillis());
            notes.add("model " + input.registry() + " has no champion yet");
            return new MonitorCheck(null, null, true, null, 0, null, null, null, labels, null, List.of(), 0, 0, running, notes);
        }
        ModelVersion v = champion.get();
        long trainedUntil = v.lineage() != null && v.lineage().feedbackUntilMillis() != null
                ? v.lineage().feedbackUntilMillis() : v.registeredAtMillis();
        long after = Math.max(trainedUntil, input.labelsAfterMillis() == null ? 0 : input.labelsAfterMillis());
        long labels = newLabels(input.pipeline(), after);
        double threshold = input.config().maxDrift() == null ? Monitoring.DEFAULT_DRIFT_PSI : input.config().maxDrift();
        long to = input.nowMillis();
        long from = to - input.config().windowDuration().toMillis();
        Loaded kept = acquire(v, input.registry());
        Monitoring.Report report;
        try {
            Heartbeats.beat("scoring");
            report = Monitoring.report(store, input.registry(), v, kept.scorer, kept.reference, from, to, threshold);
        } finally {
            release(kept);
        }
        notes.addAll(report.notes());
        Integer previous = previousChampion(registry.get());
        Double previousRecorded = previous == null ? null : registry.get().version(previous)
                .map(p -> p.metrics() == null ? null : p.metrics().get(v.metric().wire())).orElse(null);
        Monitoring.Live live = report.live();
        if (live != null && live.error() != null) {
            notes.add(live.error());
        }
        List<String> drifted = new ArrayList<>();
        if (report.predictions() != null) {
            drifted.addAll(report.predictions().drifted());
        }
        if (report.feedback() != null) {
            report.feedback().drifted().stream().filter(c -> !drifted.contains(c)).forEach(drifted::add);
        }
        MonitorCheck check = new MonitorCheck(v.version(), v.metric().wire(), v.metric().higherIsBetter(),
                live == null ? null : live.value(), live == null ? 0 : live.labels(), live == null ? null : live.recorded(),
                previous, previousRecorded, labels, report.maxPsi(), drifted,
                report.predictions() == null ? 0 : report.predictions().rows(),
                report.feedback() == null ? 0 : report.feedback().rows(), running, notes);
        log.info("monitor {}: {}", input.pipeline(), check);
        return check;
    }

    /**
     * The champion's scorer and training-data sample, loaded once and kept for the next checks; loading happens outside
     * the cache's lock, so checks of other models go on meanwhile.
     */
    private Loaded acquire(ModelVersion v, String registry) {
        String key = registry + "@" + v.version() + "#" + (v.artifacts() == null ? "" : v.artifacts().sha256());
        synchronized (loaded) {
            Loaded kept = loaded.get(key);
            if (kept != null) {
                kept.users++;
                return kept;
            }
        }
        Loaded fresh = new Loaded(Scorer.load(store, v), Monitoring.reference(store, v).orElse(null));
        synchronized (loaded) {
            Loaded kept = loaded.get(key);
            if (kept != null) {
                fresh.scorer.close();   // another check loaded it meanwhile
                kept.users++;
                return kept;
            }
            loaded.put(key, fresh);
            fresh.users++;
            while (loaded.size() > LOADED) {
                var eldest = loaded.entrySet().iterator().next();
                loaded.remove(eldest.getKey());
                eldest.getValue().evicted = true;
                if (eldest.getValue().users == 0) {
                    eldest.getValue().scorer.close();
                }
            }
            return fresh;
        }
    }

    private void release(Loaded champion) {
        synchronized (loaded) {
            champion.users--;
            if (champion.evicted && champion.users == 0) {
                champion.scorer.close();
            }
        }
    }

    /** Feedback rows received after {@code afterMillis}, counted from the parts' names (no part is read). */
    private long newLabels(String pipeline, long afterMillis) {
        return store.list(store.bucket(), Keys.feedback(pipeline)).stream()
                .map(key -> FeedbackParts.parse(Keys.feedback(pipeline), key)).flatMap(Optional::stream)
                .filter(p -> p.receivedAtMillis() > afterMillis)
                .mapToLong(FeedbackParts.Part::rows).sum();
    }

    /** The version a rollback without a target goes back to (the registry's own rule). */
    static Integer previousChampion(RegistryState state) {
        List<Integer> history = new ArrayList<>(state.championHistory());
        while (!history.isEmpty() && history.get(history.size() - 1).equals(state.champion())) {
            history.remove(history.size() - 1);
        }
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    @Override
    public Integer rollback(AutoRollbackInput input) {
        try (Liveness alive = Liveness.start()) {
            RegistryState state = RegistryClient.state(client, input.registry())
                    .orElseThrow(() -> new IllegalStateException("model " + input.registry() + " has no registry"));
            if (state.champion() == null || state.champion() != input.fromVersion()) {
                // Someone moved the champion since the check: that decision stands, nothing is rolled back.
                return null;
            }
            try {
                return RegistryClient.send(client, input.registry(), RegistryCommand.rollback(input.requestId(),
                                new RollbackRequest(input.registry(), null, input.actor(), input.reason(), RollbackRequest.AUTO)),
                        REGISTRY_WAIT, () -> Heartbeats.beat(input.requestId())).version();
            } catch (RegistryClient.RefusedException e) {
                throw Failures.nonRetryable(e.type(), e.getMessage());
            }
        }
    }
}
