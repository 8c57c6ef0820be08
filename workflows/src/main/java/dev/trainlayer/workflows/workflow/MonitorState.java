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
 */
public record MonitorState(TriggerConfig config, Long lastCheckAtMillis, MonitorCheck lastCheck, String activeRun, String activeRunId,
                           Long lastTriggeredAtMillis, int runsStarted, Integer driftAlertedFor, Integer degradedAlertedFor,
                           Integer rolledBackFrom, List<String> decisions, boolean stopped) {
    public static final int MAX_DECISIONS = 50;
}
