package dev.trainlayer.workflows.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainlayer.workflows.activity.TrialResult;

/**
 * One thing that happened in a run, in the order the run's workflows saw it: the log behind the run's
 * event stream ({@code GET /api/v1/runs/{runId}/events}) and its webhooks. Kept in workflow state (small:
 * a few per trial); trial progress is not here but in each trial's live record in the store.
 *
 * @param type      one of the constants below
 * @param atMillis  workflow time when it happened
 * @param phase     for {@link #PHASE}: the phase entered
 * @param trialId   for trial events and trial alerts
 * @param status    for {@link #TRIAL_FINISHED}: COMPLETED or FAILED; for the final event: the run's status; for
 *                  {@link #SEARCH_DECISION}: which decision
 * @param objective a finished or pruned trial's validation value
 * @param detail    why (a failure, the pruning rule, an alert's text)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunEvent(String type, long atMillis, String phase, String trialId, String status, Double objective, String detail) {
    public static final String PHASE = "phase";
    public static final String TRIAL_STARTED = "trial.started";
    public static final String TRIAL_FINISHED = "trial.finished";
    public static final String TRIAL_PRUNED = "trial.pruned";
    /** Not in the workflows' logs: made by the event stream from a trial's live record. */
    public static final String TRIAL_PROGRESS = "trial.progress";
    public static final String ALERT = "alert";
    /** A search's budget decision ({@code status}: {@link #FAMILY_RETIRED}); {@code detail} says what and why. */
    public static final String SEARCH_DECISION = "search.decision";
    public static final String FAMILY_RETIRED = "family.retired";
    /** The last event of every run: {@code status} is SUCCEEDED, REJECTED, FAILED or CANCELLED. */
    public static final String RUN_FINISHED = "run.finished";

    public static RunEvent phase(Phase phase, long at) {
        return new RunEvent(PHASE, at, phase.name(), null, null, null, null);
    }

    public static RunEvent trialStarted(String trialId, long at) {
        return new RunEvent(TRIAL_STARTED, at, null, trialId, null, null, null);
    }

    public static RunEvent trialEnded(TrialResult r, long at) {
        Double objective = Double.isNaN(r.objective()) ? null : r.objective();
        return new RunEvent(r.pruned() ? TRIAL_PRUNED : TRIAL_FINISHED, at, null, r.trialId(), r.status(), objective, r.failure());
    }

    /** An alert the run raised itself ({@code data.warning}, {@code trial.slow}); {@code status} holds its event name. */
    public static RunEvent alert(String event, String trialId, String detail, long at) {
        return new RunEvent(ALERT, at, null, trialId, event, null, detail);
    }

    public static RunEvent searchDecision(String decision, String detail, long at) {
        return new RunEvent(SEARCH_DECISION, at, null, null, decision, null, detail);
    }

    public static RunEvent finished(RunStatus status, long at, String detail) {
        return new RunEvent(RUN_FINISHED, at, null, null, status.name(), null, detail);
    }
}
