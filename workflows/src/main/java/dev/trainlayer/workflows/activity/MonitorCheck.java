package dev.trainlayer.workflows.activity;

import java.util.List;

/**
 * What one check of a pipeline's monitor found (a summary: the full report is {@code GET …/monitoring}).
 *
 * @param champion         the champion version (null: none yet)
 * @param metric           its primary metric's name, {@code higherIsBetter} its direction
 * @param live             its metric on {@code liveLabels} feedback rows it was not trained on (null: none, or unscorable)
 * @param recorded         its test-set value at registration
 * @param previousChampion the version a rollback would go back to, {@code previousRecorded} that version's test value
 * @param newLabels        feedback rows received since the last run took feedback in
 * @param maxPsi           the largest column PSI of the window's predictions and feedback, {@code drifted} the columns at or
 *                         over the trigger's {@code maxDrift} (or the default threshold)
 * @param activeRunRunning whether the last run the monitor started still runs
 */
public record MonitorCheck(Integer champion, String metric, boolean higherIsBetter, Double live, long liveLabels, Double recorded,
                           Integer previousChampion, Double previousRecorded, long newLabels, Double maxPsi, List<String> drifted,
                           long predictions, long feedbackRows, boolean activeRunRunning, List<String> notes) {}
