package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.activity.AutoRollbackInput;
import dev.trainlayer.workflows.activity.MonitorCheck;
import dev.trainlayer.workflows.activity.MonitorCheckInput;
import dev.trainlayer.workflows.activity.MonitoringActivities;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.notify.Notification;
import dev.trainlayer.workflows.notify.Notifications;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * A pipeline's monitor. Each check is one activity; every decision (start a run, alert, roll back) is made here from
 * its result, deterministically, and written to the decision log the API shows. A started run is a child workflow that
 * outlives the monitor (parent close policy ABANDON) with its own business id, so a retried start never starts two.
 */
public class MonitorWorkflowImpl implements MonitorWorkflow {
    private static final Logger log = Workflow.getLogger(MonitorWorkflowImpl.class);
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** Checks per execution before it continues as new with its state (keeps the history short). */
    static final int CHECKS_PER_EXECUTION = 200;

    private final MonitoringActivities monitoring =
            Workflow.newActivityStub(MonitoringActivities.class, ActivityPolicies.monitoring());

    private String project;
    private String pipeline;
    private String registry;
    private TriggerConfig config;
    private boolean stopped;
    private boolean checkRequested;
    private Long lastCheckAt;
    private MonitorCheck lastCheck;
    private String activeRun;
    private String activeRunId;
    private Long lastTriggeredAt;
    private int runsStarted;
    private Integer driftAlertedFor;
    private Integer degradedAlertedFor;
    private Integer rolledBackFrom;
    private final List<Integer> autoRolledBack = new ArrayList<>();
    private final List<Integer> rollbackTargets = new ArrayList<>();
    private final List<String> decisions = new ArrayList<>();

    @Override
    public void run(MonitorInput input) {
        project = input.project();
        pipeline = input.pipeline();
        registry = input.registry();
        if (config == null) {
            config = input.config();
        }
        MonitorState carried = input.state();
        if (carried != null && carried.stopped()) {
            return;   // deleted just before it continued as new
        }
        if (carried != null) {
            checkRequested |= carried.checkRequested();
            autoRolledBack.addAll(carried.autoRolledBack());
            rollbackTargets.addAll(carried.rollbackTargets());
            lastCheckAt = carried.lastCheckAtMillis();
            lastCheck = carried.lastCheck();
            activeRun = carried.activeRun();
            activeRunId = carried.activeRunId();
            lastTriggeredAt = carried.lastTriggeredAtMillis();
            runsStarted = carried.runsStarted();
            driftAlertedFor = carried.driftAlertedFor();
            degradedAlertedFor = carried.degradedAlertedFor();
            rolledBackFrom = carried.rolledBackFrom();
            decisions.addAll(carried.decisions());
        }
        int checks = 0;
        while (true) {
            Workflow.await(config.checkEveryDuration(), () -> stopped || checkRequested);
            if (stopped) {
                decide("stopped: the pipeline's triggers were deleted");
                return;
            }
            checkRequested = false;
            check();
            if (stopped) {
                decide("stopped: the pipeline's triggers were deleted");
                return;
            }
            if (++checks >= CHECKS_PER_EXECUTION || Workflow.getInfo().isContinueAsNewSuggested()) {
                Workflow.continueAsNew(new MonitorInput(project, pipeline, registry, config, state()));
            }
        }
    }

    private void check() {
        long now = Workflow.currentTimeMillis();
        MonitorCheck result;
        try {
            result = monitoring.check(new MonitorCheckInput(project, pipeline, registry, config, activeRun, lastTriggeredAt, now));
        } catch (ActivityFailure e) {
            // A check that failed all its attempts (store down for minutes): the next interval tries again.
            decide("check failed: " + message(e));
            return;
        }
        lastCheckAt = now;
        lastCheck = result;
        if (result.champion() == null) {
            // No model yet (or none promoted): new labels still start a run.
            retrainIfDue(result, false, now);
            return;
        }
        if (rollBackIfDegraded(result)) {
            return;   // the champion changed: the next check looks at the one rolled back to
        }
        alertOnDrift(result);
        boolean degraded = alertOnLiveMetric(result);
        retrainIfDue(result, degraded, now);
    }

    /** Auto-rollback: the champion's live metric is worse than the previous champion's recorded one by the margin, or the floor. */
    private boolean rollBackIfDegraded(MonitorCheck r) {
        TriggerConfig.AutoRollback rule = config.autoRollback();
        if (rule == null || r.live() == null || r.previousChampion() == null || r.liveLabels() < rule.minLabelsOrDefault()
                || autoRolledBack.contains(r.champion()) || rollbackTargets.contains(r.champion())) {
            // Once per version, and never down a cascade: a version it rolled back to is not rolled back in turn
            // (the same shifted feedback would judge every older version too); people decide from there.
            return false;
        }
        String because = null;
        if (r.previousRecorded() != null && drop(r, r.live(), r.previousRecorded()) > rule.marginOrDefault()) {
            because = String.format(Locale.ROOT, "live %s %.4f over %d labels is worse than version %d's recorded %.4f by more than "
                    + "the margin %.4f", r.metric(), r.live(), r.liveLabels(), r.previousChampion(), r.previousRecorded(),
                    rule.marginOrDefault());
        } else if (rule.floor() != null && drop(r, r.live(), rule.floor()) > 0) {
            because = String.format(Locale.ROOT, "live %s %.4f over %d labels is worse than the floor %.4f", r.metric(), r.live(),
                    r.liveLabels(), rule.floor());
        }
        if (because == null) {
            return false;
        }
        String evidence = "version " + r.champion() + ": " + because + (r.recorded() == null ? ""
                : String.format(Locale.ROOT, " (its own recorded %s: %.4f)", r.metric(), r.recorded()));
        Integer now;
        try {
            now = monitoring.rollback(new AutoRollbackInput(registry, r.champion(), "trainlayer monitor", evidence,
                    "auto-rollback:" + pipeline + ":" + r.champion() + ":" + Workflow.currentTimeMillis()));
        } catch (ActivityFailure e) {
            decide("auto-rollback of version " + r.champion() + " failed: " + message(e));
            return false;
        }
        if (now == null) {
            decide("version " + r.champion() + " is no longer the champion: no rollback (" + because + ")");
            return true;
        }
        rolledBackFrom = r.champion();
        autoRolledBack.add(r.champion());
        rollbackTargets.add(now);
        decide("rolled back version " + r.champion() + " to " + now + ": " + evidence);
        Map<String, Object> data = data(r);
        data.put("rolledBackTo", now);
        data.put("evidence", evidence);
        publish(Alerts.MODEL_DEGRADED, "degraded-v" + r.champion() + "-rollback", Projects.nameOf(registry) + " version "
                + r.champion() + " degraded and was rolled back to version " + now + ": " + because, data);
        degradedAlertedFor = r.champion();
        return true;
    }

    private void alertOnDrift(MonitorCheck r) {
        boolean drifted = config.maxDrift() != null && r.maxPsi() != null && r.maxPsi() >= config.maxDrift();
        if (!drifted) {
            driftAlertedFor = null;    // re-armed: the next drift alerts again
            return;
        }
        if (r.champion().equals(driftAlertedFor)) {
            return;
        }
        driftAlertedFor = r.champion();
        String summary = String.format(Locale.ROOT, "%s version %d: drift in %s (largest PSI %.3f >= maxDrift %.3f)",
                Projects.nameOf(registry), r.champion(), String.join(", ", r.drifted()), r.maxPsi(), config.maxDrift());
        decide(summary);
        publish(Alerts.MODEL_DRIFT, "drift-v" + r.champion() + "-" + Workflow.currentTimeMillis(), summary, data(r));
    }

    /** model.degraded when the live metric is worse than minLiveMetric over enough labels; true while it is. */
    private boolean alertOnLiveMetric(MonitorCheck r) {
        boolean degraded = config.minLiveMetric() != null && r.live() != null && r.liveLabels() >= config.minLabelsOrDefault()
                && drop(r, r.live(), config.minLiveMetric()) > 0;
        if (!degraded) {
            degradedAlertedFor = null;
            return false;
        }
        if (!r.champion().equals(degradedAlertedFor)) {
            degradedAlertedFor = r.champion();
            String summary = String.format(Locale.ROOT, "%s version %d: live %s %.4f over %d labels is worse than minLiveMetric %.4f",
                    Projects.nameOf(registry), r.champion(), r.metric(), r.live(), r.liveLabels(), config.minLiveMetric());
            decide(summary);
            publish(Alerts.MODEL_DEGRADED, "degraded-v" + r.champion() + "-" + Workflow.currentTimeMillis(), summary, data(r));
        }
        return true;
    }

    private void retrainIfDue(MonitorCheck r, boolean degraded, long now) {
        List<String> reasons = new ArrayList<>();
        if (config.minNewLabels() != null && r.newLabels() >= config.minNewLabels()) {
            reasons.add(r.newLabels() + " new labels (minNewLabels " + config.minNewLabels() + ")");
        }
        if (config.maxDrift() != null && r.maxPsi() != null && r.maxPsi() >= config.maxDrift()) {
            reasons.add(String.format(Locale.ROOT, "drift in %s (PSI %.3f >= maxDrift %.3f)", String.join(", ", r.drifted()),
                    r.maxPsi(), config.maxDrift()));
        }
        if (degraded) {
            reasons.add(String.format(Locale.ROOT, "live %s %.4f worse than minLiveMetric %.4f", r.metric(), r.live(),
                    config.minLiveMetric()));
        }
        if (reasons.isEmpty()) {
            return;
        }
        String reason = String.join("; ", reasons);
        if (r.activeRunRunning()) {
            decide("not starting a run: " + activeRunId + " (started by this trigger) is still going; due to " + reason);
            return;
        }
        Duration cooldown = config.cooldownDuration();
        if (lastTriggeredAt != null && now - lastTriggeredAt < cooldown.toMillis()) {
            decide("not starting a run before " + Instant.ofEpochMilli(lastTriggeredAt + cooldown.toMillis()) + " (cooldown "
                    + config.cooldown() + "); due to " + reason);
            return;
        }
        start(reason, now);
    }

    private void start(String reason, long now) {
        String runId = "triggered-" + RUN_TIME.format(Instant.ofEpochMilli(now)) + "-" + (runsStarted + 1);
        String workflowId = WorkflowIds.retrain(pipeline, runId);
        RetrainWorkflow run = Workflow.newChildWorkflowStub(RetrainWorkflow.class, ChildWorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.CONTROL)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setTypedSearchAttributes(SearchAttributes.starting(project, config.spec().name(), config.spec().modelName()))
                .build());
        Async.function(run::run, new RetrainInput(runId, config.spec(), "trainlayer monitor", project, RetrainInput.MONITOR, reason));
        try {
            Workflow.getWorkflowExecution(run).get();
        } catch (ChildWorkflowFailure e) {
            decide("run " + runId + " could not start: " + message(e));
            return;
        }
        activeRun = workflowId;
        activeRunId = runId;
        lastTriggeredAt = now;
        runsStarted++;
        decide("started run " + runId + ": " + reason);
        log.info("monitor {} started run {}: {}", pipeline, runId, reason);
        Map<String, Object> data = lastCheck == null ? new LinkedHashMap<>() : data(lastCheck);
        data.put("runId", runId);
        data.put("reason", reason);
        Notifications.publish(new Notification(runId + "/" + Alerts.RUN_TRIGGERED, Alerts.RUN_TRIGGERED, project,
                Projects.nameOf(pipeline), Projects.nameOf(registry), runId, Workflow.currentTimeMillis(),
                "run " + runId + " of " + Projects.nameOf(pipeline) + " started by its trigger: " + reason, data));
    }

    /** How much worse {@code value} is than {@code reference} in the metric's direction (positive: worse). */
    private static double drop(MonitorCheck r, double value, double reference) {
        return r.higherIsBetter() ? reference - value : value - reference;
    }

    private Map<String, Object> data(MonitorCheck r) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (r.champion() != null) {
            data.put("version", r.champion());
        }
        if (r.metric() != null) {
            data.put("metric", r.metric());
        }
        if (r.live() != null) {
            data.put("liveMetric", r.live());
        }
        data.put("labels", r.liveLabels());
        if (r.recorded() != null) {
            data.put("recordedMetric", r.recorded());
        }
        if (r.maxPsi() != null) {
            data.put("maxPsi", r.maxPsi());
        }
        data.put("driftedColumns", r.drifted());
        data.put("newLabels", r.newLabels());
        return data;
    }

    private void publish(String event, String suffix, String summary, Map<String, Object> data) {
        Notifications.publish(new Notification(pipeline + "/" + suffix, event, project, Projects.nameOf(pipeline),
                Projects.nameOf(registry), null, Workflow.currentTimeMillis(), summary, data));
    }

    private void decide(String decision) {
        decisions.add(Instant.ofEpochMilli(Workflow.currentTimeMillis()) + " " + decision);
        while (decisions.size() > MonitorState.MAX_DECISIONS) {
            decisions.remove(0);
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t != null) {
            if (t instanceof io.temporal.failure.ApplicationFailure app) {
                message = app.getOriginalMessage();
            }
            t = t.getCause();
        }
        return message;
    }

    @Override
    public void configure(TriggerConfig config) {
        this.config = config;
        this.checkRequested = true;
        // Settings that arrive after a delete bring the monitor back (the PUT that sent them stored them again).
        this.stopped = false;
        if (project != null && config.spec() != null) {
            String model = Projects.qualify(project, config.spec().modelName());
            if (!model.equals(registry)) {
                // Another model to watch: what was known of the old one does not carry over.
                registry = model;
                driftAlertedFor = null;
                degradedAlertedFor = null;
                decide("now watching model " + Projects.nameOf(model));
            }
        }
        decide("triggers updated");
    }

    @Override
    public void checkNow() {
        checkRequested = true;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public MonitorState state() {
        return new MonitorState(config, lastCheckAt, lastCheck, activeRun, activeRunId, lastTriggeredAt, runsStarted,
                driftAlertedFor, degradedAlertedFor, rolledBackFrom, List.copyOf(decisions), stopped, checkRequested,
                autoRolledBack, rollbackTargets);
    }
}
