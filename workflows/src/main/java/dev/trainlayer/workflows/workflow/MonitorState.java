package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.MonitorCheck;
import java.util.List;

/**
 * A pipeline monitor as users see it ({@code GET /api/v1/pipelines/{name}/triggers}) and as it carries itself over a
 * continue-as-new. Times are epoch milliseconds of workflow time.
 *
 * @param activeRun     the workflow id of the last run it started; {@code lastTriggeredAtMillis} when
 * @param decisions     the latest decisions, newest last ("started run …", "cooldown until …", "rolled back …")
 * @param driftAlertedFor champion version a {@code model.drift} alert went out for (re-armed when drift is gone)
 * @param autoRolledBack  versions this monitor rolled back (never rolled back by it again, even when promoted again)
 * @param rollbackTargets versions it rolled back to (not rolled back by it in turn: no cascade down the history)
 */
public record MonitorState(TriggerConfig config, Long lastCheckAtMillis, MonitorCheck lastCheck, String activeRun, String activeRunId,
                           Long lastTriggeredAtMillis, int runsStarted, Integer driftAlertedFor, Integer degradedAlertedFor,
                           Integer rolledBackFrom, List<String> decisions, boolean stopped, boolean checkRequested,
                           List<Integer> autoRolledBack, List<Integer> rollbackTargets) {
    public static final int MAX_DECISIONS = 50;

    public MonitorState {
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
        autoRolledBack = autoRolledBack == null ? List.of() : List.copyOf(autoRolledBack);
        rollbackTargets = rollbackTargets == null ? List.of() : List.copyOf(rollbackTargets);
    }
}
