package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.RegistryActivities;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.notify.Notification;
import dev.trainlayer.workflows.notify.Notifications;
import dev.trainlayer.workflows.registry.AuditEntry;
import dev.trainlayer.workflows.registry.CommandOutcome;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.Optimization;
import dev.trainlayer.workflows.registry.PromoteRequest;
import dev.trainlayer.workflows.registry.PublishInput;
import dev.trainlayer.workflows.registry.PublishResult;
import dev.trainlayer.workflows.registry.RegisterRequest;
import dev.trainlayer.workflows.registry.RegistryCommand;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.registry.RollbackRequest;
import io.temporal.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry entity of one model. Commands queue up and the main loop applies them one by one, so
 * the version counter, the champion alias and the store mirror never interleave. Continues as new when
 * the server suggests it (and the queue is empty), carrying the whole state.
 */
public class ModelRegistryWorkflowImpl implements ModelRegistryWorkflow {
    private final RegistryActivities store = Workflow.newActivityStub(RegistryActivities.class, ActivityPolicies.registry());

    private String model;
    private final List<ModelVersion> versions = new ArrayList<>();
    private Integer champion;
    private final List<Integer> championHistory = new ArrayList<>();
    private final List<AuditEntry> audit = new ArrayList<>();
    private final List<CommandOutcome> outcomes = new ArrayList<>();
    private final Map<String, Integer> versionByRun = new HashMap<>();
    private final Deque<RegistryCommand> queue = new ArrayDeque<>();

    @Override
    public void run(RegistryState start) {
        RegistryState initial = start;
        int recovery = Workflow.getVersion("recover-from-mirror", Workflow.DEFAULT_VERSION, 1);
        if (recovery >= 1 && start.versions().isEmpty()) {
            // A fresh start — or a registry whose workflow was terminated or timed out: the store mirror
            // holds its versions, champion and audit trail.
            initial = store.load(start.model());
        }
        model = initial.model();
        versions.addAll(initial.versions());
        versions.forEach(v -> versionByRun.put(v.runId(), v.version()));
        champion = initial.champion();
        championHistory.addAll(initial.championHistory());
        audit.addAll(initial.audit());
        outcomes.addAll(initial.outcomes());
        if (initial != start && !initial.versions().isEmpty()
                && Workflow.getVersion("recovered-audit", Workflow.DEFAULT_VERSION, 1) >= 1) {
            // Rebuilt from the store: say so in the trail, so a reader knows the history before this point came
            // from the mirror (a restarted in-memory server, a wiped or moved namespace).
            audit.add(new AuditEntry(Workflow.currentTimeMillis(), "RECOVERED", champion, null, "trainlayer",
                    "registry rebuilt from the store's mirror with " + initial.versions().size() + " version(s)"));
        }
        while (true) {
            Workflow.await(() -> !queue.isEmpty() || Workflow.getInfo().isContinueAsNewSuggested());
            if (queue.isEmpty()) {
                List<CommandOutcome> recent = outcomes.subList(Math.max(0, outcomes.size() - RegistryState.MAX_OUTCOMES), outcomes.size());
                Workflow.continueAsNew(new RegistryState(model, versions, champion, championHistory, audit, recent));
            }
            RegistryCommand command = queue.poll();
            if (outcomes.stream().anyMatch(o -> o.requestId().equals(command.requestId()))) {
                continue;
            }
            outcomes.add(apply(command));
        }
    }

    private CommandOutcome apply(RegistryCommand command) {
        if (command.register() != null) {
            return new CommandOutcome(command.requestId(), true, register(command.register()), null, null);
        }
        if (command.promote() != null) {
            return promote(command.requestId(), command.promote());
        }
        if (command.rollback() != null) {
            return rollback(command.requestId(), command.rollback());
        }
        return refuse(command.requestId(), FailureTypes.INVALID_SPEC, "empty registry command");
    }

    private int register(RegisterRequest request) {
        Integer existing = versionByRun.get(request.runId());
        if (existing != null) {
            return existing;
        }
        int number = versions.stream().mapToInt(ModelVersion::version).max().orElse(0) + 1;
        long now = Workflow.currentTimeMillis();
        PublishResult published = store.publish(new PublishInput(number, request, now));
        versions.add(new ModelVersion(number, request.runId(), request.task(), request.type(), request.metric(),
                request.metrics(), request.classes(), request.lineage(), published.artifacts(), published.featurePipeline(), now,
                request.optimization() == null ? null
                        : published.optimized() != null ? request.optimization().at(published.optimized()).slim()
                        : request.optimization().at(null).notServed(Optimization.NOT_COPIED).slim()));
        versions.sort(Comparator.comparingInt(ModelVersion::version));
        versionByRun.put(request.runId(), number);
        audit.add(new AuditEntry(now, "REGISTER", number, champion, "run " + request.runId(),
                request.metric().wire() + " = " + request.metrics().get(request.metric().wire())));
        store.mirror(state());
        return number;
    }

    private CommandOutcome promote(String requestId, PromoteRequest request) {
        if (!exists(request.version())) {
            return missing(requestId, request.version());
        }
        if (champion == null || champion != request.version()) {
            Integer previous = champion;
            if (previous != null) {
                championHistory.add(previous);
            }
            champion = request.version();
            audit.add(new AuditEntry(Workflow.currentTimeMillis(), "PROMOTE", champion, previous, request.actor(), request.reason()));
            store.mirror(state());
            notifyChampion(Alerts.MODEL_PROMOTED, "version " + champion + " of " + Projects.nameOf(model) + " is champion"
                    + (previous == null ? "" : " (was " + previous + ")") + ", by " + request.actor(), previous, request.actor(), request.reason());
        }
        return new CommandOutcome(requestId, true, champion, null, null);
    }

    private CommandOutcome rollback(String requestId, RollbackRequest request) {
        Integer previous = champion;
        int target;
        if (request.toVersion() != null) {
            if (!exists(request.toVersion())) {
                return missing(requestId, request.toVersion());
            }
            if (request.toVersion().equals(champion)) {
                return refuse(requestId, FailureTypes.NO_ROLLBACK_TARGET,
                        "version " + request.toVersion() + " is already the champion of " + model);
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
                return refuse(requestId, FailureTypes.NO_ROLLBACK_TARGET,
                        "model " + model + " has no previous champion to roll back to; name a version instead");
            }
            target = championHistory.remove(championHistory.size() - 1);
        }
        champion = target;
        String action = RollbackRequest.AUTO.equals(request.action()) ? RollbackRequest.AUTO : "ROLLBACK";
        audit.add(new AuditEntry(Workflow.currentTimeMillis(), action, target, previous, request.actor(), request.reason()));
        store.mirror(state());
        notifyChampion(Alerts.MODEL_ROLLED_BACK, Projects.nameOf(model) + " rolled back to version " + target
                + (previous == null ? "" : " from " + previous) + " by " + request.actor(), previous, request.actor(), request.reason());
        return new CommandOutcome(requestId, true, target, null, null);
    }

    /**
     * Publishes a champion change to the model's project's webhooks. Its id names the audit entry, so each change
     * goes out once.
     */
    private void notifyChampion(String event, String summary, Integer previous, String actor, String reason) {
        if (Workflow.getVersion("notifications", Workflow.DEFAULT_VERSION, 1) < 1) {
            return;
        }
        ModelVersion current = versions.stream().filter(v -> v.version() == champion).findFirst().orElse(null);
        String pipeline = current == null || current.lineage() == null ? null : Projects.nameOf(current.lineage().pipeline());
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("version", champion);
        if (previous != null) {
            data.put("previousVersion", previous);
        }
        data.put("actor", actor == null ? "" : actor);
        data.put("reason", reason == null ? "" : reason);
        if (current != null && current.metrics() != null) {
            data.put("metrics", current.metrics());
        }
        Notifications.publish(new Notification(model + "/audit-" + (audit.size() - 1), event, Projects.projectOf(model), pipeline,
                Projects.nameOf(model), current == null ? null : current.runId(), Workflow.currentTimeMillis(), summary, data));
    }

    private boolean exists(int version) {
        return versions.stream().anyMatch(v -> v.version() == version);
    }

    private CommandOutcome missing(String requestId, int version) {
        return refuse(requestId, FailureTypes.MODEL_VERSION_NOT_FOUND, "model " + model + " has no version " + version
                + " (versions: " + versions.stream().map(v -> String.valueOf(v.version())).toList() + ")");
    }

    private static CommandOutcome refuse(String requestId, String type, String message) {
        return new CommandOutcome(requestId, false, null, type, message);
    }

    @Override
    public void submit(RegistryCommand command) {
        queue.add(command);
    }

    @Override
    public RegistryState state() {
        return new RegistryState(model, versions, champion, championHistory, audit, outcomes);
    }
}
