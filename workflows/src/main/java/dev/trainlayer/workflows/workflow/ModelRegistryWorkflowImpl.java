package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.RegistryActivities;
import dev.trainlayer.workflows.registry.AuditEntry;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.PromoteRequest;
import dev.trainlayer.workflows.registry.PublishInput;
import dev.trainlayer.workflows.registry.PublishResult;
import dev.trainlayer.workflows.registry.RegisterRequest;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.registry.RollbackRequest;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry entity of one model. Updates are applied one at a time (a workflow lock around each
 * handler), so version numbers, the champion alias and the store mirror never interleave. Continues as
 * new when the server suggests it, carrying the whole state.
 */
public class ModelRegistryWorkflowImpl implements ModelRegistryWorkflow {
    private final RegistryActivities store = Workflow.newActivityStub(RegistryActivities.class, ActivityPolicies.light());
    private final WorkflowLock lock = Workflow.newWorkflowLock();

    private String model;
    private final List<ModelVersion> versions = new ArrayList<>();
    private Integer champion;
    private final List<Integer> championHistory = new ArrayList<>();
    private final List<AuditEntry> audit = new ArrayList<>();
    private final Map<String, Integer> versionByRun = new HashMap<>();

    @Override
    public void run(RegistryState initial) {
        model = initial.model();
        versions.addAll(initial.versions());
        versions.forEach(v -> versionByRun.put(v.runId(), v.version()));
        champion = initial.champion();
        championHistory.addAll(initial.championHistory());
        audit.addAll(initial.audit());
        Workflow.await(() -> Workflow.getInfo().isContinueAsNewSuggested());
        Workflow.await(Workflow::isEveryHandlerFinished);
        Workflow.continueAsNew(state());
    }

    @Override
    public ModelVersion register(RegisterRequest request) {
        lock.lock();
        try {
            Integer existing = versionByRun.get(request.runId());
            if (existing != null) {
                // A retried register from the same run gets the version it already has.
                return state().version(existing).orElseThrow();
            }
            int number = versions.stream().mapToInt(ModelVersion::version).max().orElse(0) + 1;
            long now = Workflow.currentTimeMillis();
            PublishResult published = store.publish(new PublishInput(number, request, now));
            ModelVersion version = new ModelVersion(number, request.runId(), request.task(), request.type(),
                    request.metric(), request.metrics(), request.classes(), request.lineage(), published.artifacts(),
                    published.featurePipeline(), now);
            versions.add(version);
            versions.sort(Comparator.comparingInt(ModelVersion::version));
            versionByRun.put(request.runId(), number);
            audit.add(new AuditEntry(now, "REGISTER", number, champion, "run " + request.runId(),
                    request.metric().wire() + " = " + request.metrics().get(request.metric().wire())));
            store.mirror(state());
            return version;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RegistryState promote(PromoteRequest request) {
        lock.lock();
        try {
            requireVersion(request.version());
            if (champion == null || champion != request.version()) {
                Integer previous = champion;
                if (previous != null) {
                    championHistory.add(previous);
                }
                champion = request.version();
                audit.add(new AuditEntry(Workflow.currentTimeMillis(), "PROMOTE", champion, previous,
                        request.actor(), request.reason()));
                store.mirror(state());
            }
            return state();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RegistryState rollback(RollbackRequest request) {
        lock.lock();
        try {
            Integer previous = champion;
            int target;
            if (request.toVersion() != null) {
                requireVersion(request.toVersion());
                if (request.toVersion().equals(champion)) {
                    throw ApplicationFailure.newNonRetryableFailure("version " + request.toVersion()
                            + " is already the champion of " + model, FailureTypes.NO_ROLLBACK_TARGET);
                }
                target = request.toVersion();
                if (previous != null) {
                    championHistory.add(previous);
                }
            } else {
                while (!championHistory.isEmpty() && championHistory.get(championHistory.size() - 1).equals(champion)) {
                    championHistory.remove(championHistory.size() - 1);
                }
                if (championHistory.isEmpty()) {
                    throw ApplicationFailure.newNonRetryableFailure("model " + model
                            + " has no previous champion to roll back to; name a version instead",
                            FailureTypes.NO_ROLLBACK_TARGET);
                }
                target = championHistory.remove(championHistory.size() - 1);
            }
            champion = target;
            audit.add(new AuditEntry(Workflow.currentTimeMillis(), "ROLLBACK", target, previous, request.actor(),
                    request.reason()));
            store.mirror(state());
            return state();
        } finally {
            lock.unlock();
        }
    }

    private void requireVersion(int version) {
        if (versions.stream().noneMatch(v -> v.version() == version)) {
            throw ApplicationFailure.newNonRetryableFailure("model " + model + " has no version " + version
                    + " (versions: " + versions.stream().map(v -> String.valueOf(v.version())).toList() + ")",
                    FailureTypes.MODEL_VERSION_NOT_FOUND);
        }
    }

    @Override
    public RegistryState state() {
        return new RegistryState(model, versions, champion, championHistory, audit);
    }
}
