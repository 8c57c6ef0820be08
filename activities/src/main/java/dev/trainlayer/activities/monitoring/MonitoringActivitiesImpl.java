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
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.RegistryCommand;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.registry.RollbackRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
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
    private final Object cacheLock = new Object();
    private String cachedKey;
    private Scorer cachedScorer;
    private Table cachedReference;

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
        boolean running = input.activeRun() != null && running(input.activeRun());
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
        Monitoring.Report report;
        synchronized (cacheLock) {
            load(v, input.registry());
            Heartbeats.beat("scoring");
            report = Monitoring.report(store, input.registry(), v, cachedScorer, cachedReference, from, to, threshold);
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

    /** Loads (or keeps) the champion's scorer and training-data sample. */
    private void load(ModelVersion v, String registry) {
        String key = registry + "@" + v.version() + "#" + (v.artifacts() == null ? "" : v.artifacts().sha256());
        if (key.equals(cachedKey)) {
            return;
        }
        if (cachedScorer != null) {
            cachedScorer.close();
            cachedScorer = null;
        }
        cachedKey = null;
        cachedScorer = Scorer.load(store, v);
        cachedReference = Monitoring.reference(store, v).orElse(null);
        cachedKey = key;
    }

    /** Feedback rows received after {@code afterMillis}, counted from the parts' names (no part is read). */
    private long newLabels(String pipeline, long afterMillis) {
        return store.list(store.bucket(), Keys.feedback(pipeline)).stream()
                .map(FeedbackParts::parse).flatMap(Optional::stream)
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

    private boolean running(String workflowId) {
        try {
            WorkflowExecutionStatus status = client.getWorkflowServiceStubs().blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build())
                            .build())
                    .getWorkflowExecutionInfo().getStatus();
            return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Integer rollback(AutoRollbackInput input) {
        try (Liveness alive = Liveness.start()) {
            RegistryState state = RegistryClient.state(client, input.registry())
                    .orElseThrow(() -> new IllegalStateException("model " + input.registry() + " has no registry"));
            if (state.champion() == null || state.champion() != input.fromVersion()) {
                // Someone moved the champion since the check: that decision stands.
                return state.champion();
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
