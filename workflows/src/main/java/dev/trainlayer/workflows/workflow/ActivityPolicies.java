package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.spec.ModelCandidate;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Every activity's timeouts and retries, in one place, with the reason for each value.
 *
 * <p>Transient faults (store unreachable, worker killed) retry with exponential backoff capped at 30 s;
 * failures of a type in {@link FailureTypes#ALL} never retry: retrying bad input cannot fix it.
 */
public final class ActivityPolicies {
    private ActivityPolicies() {}

    private static RetryOptions retries(int maxAttempts) {
        return RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2.0)
                // 30 s cap: a store that is down for a minute costs at most ~30 s of extra waiting.
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(maxAttempts)
                .setDoNotRetry(FailureTypes.ALL)
                .build();
    }

    /**
     * Snapshot, validation and features stream the whole dataset; 30 minutes covers gigabyte-sized CSVs on
     * a modest worker.
     */
    public static ActivityOptions data() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setStartToCloseTimeout(Duration.ofMinutes(30))
                // They heartbeat every 5 s from a side thread (Liveness): a dead worker is noticed in 30 s.
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .setRetryOptions(retries(12))
                .build();
    }

    /**
     * Suggestions fit a Gaussian process: well under a second at 100 observations, but O(n³); 10 minutes
     * bounds a very long search. Heartbeats every 5 s (Liveness) keep the dead-worker detection at 30 s.
     */
    public static ActivityOptions tuning() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setStartToCloseTimeout(Duration.ofMinutes(10))
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .setRetryOptions(retries(20))
                .build();
    }

    /**
     * A run's calls into its model's registry: they wait (up to 2 minutes) for the registry workflow to
     * apply a command, heartbeating, so a dead worker is noticed in 30 s.
     */
    public static ActivityOptions registry() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setStartToCloseTimeout(Duration.ofMinutes(5))
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .setRetryOptions(retries(20))
                .build();
    }

    /**
     * Batch scoring reads a whole CSV and predicts every row: compute, so it runs on the training queue and takes one
     * of its slots. Two hours covers millions of rows; it heartbeats every 5 s (Liveness), so a dead worker is noticed
     * in 30 s and the job starts again (its output keys are fixed, so nothing is left half-written).
     */
    public static ActivityOptions scoring() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.TRAIN)
                .setStartToCloseTimeout(Duration.ofHours(2))
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .setRetryOptions(retries(8))
                .build();
    }

    /** Evaluation loads two models and scores the test rows: minutes at most, with the data limits. */
    public static ActivityOptions evaluation() {
        return data();
    }

    /**
     * Trials may train for hours; they heartbeat every epoch (and within long epochs), so a killed worker
     * is detected after the heartbeat timeout and the retry resumes from the last checkpoint. Eight attempts
     * (backoff 1, 2, 4, 8, 16, 30, 30 s): a store outage of about 90 s costs no trial, and a trial that crashes
     * its worker eight times is recorded as failed instead of stalling the run.
     */
    public static ActivityOptions training(String taskQueue) {
        ActivityOptions.Builder options = ActivityOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setStartToCloseTimeout(Duration.ofHours(6))
                // Trials heartbeat every 5 s from a side thread whatever an epoch takes, so 30 s is long enough
                // for a live worker and short enough that a dead one's trial resumes elsewhere within ~30 s.
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .setRetryOptions(retries(8));
        if (TaskQueues.TRAIN_GPU.equals(taskQueue)) {
            // Only GPU workers poll this queue. When none runs, the trial fails after an hour with a
            // schedule-to-start timeout instead of waiting forever.
            options.setScheduleToStartTimeout(Duration.ofHours(1));
        }
        return options.build();
    }

    /**
     * {@link #training} with a summary the Temporal UI shows on the trial's activity (its id, family and
     * parameters), so a person scanning a run's history sees which trial is which.
     */
    public static ActivityOptions training(String taskQueue, String trialId, ModelCandidate candidate) {
        String params = candidate.params() == null ? "" : " " + new java.util.TreeMap<>(candidate.params());
        String summary = "trial " + trialId + " (" + candidate.type().wire() + ")" + params;
        return ActivityOptions.newBuilder(training(taskQueue))
                .setSummary(summary.length() > 400 ? summary.substring(0, 399) + "…" : summary)
                .build();
    }

    /**
     * Optimizing the challenger (prune, fine-tune, quantize, measure) is a short trial: it takes a training slot on the
     * family's queue, heartbeats every 5 s, and starts again from the beginning after a crash (its keys are fixed and its
     * steps seeded, so a retry writes the same files). Three attempts: an optimization that keeps failing is reported
     * on the version and costs the run nothing.
     */
    public static ActivityOptions optimization(String taskQueue, String trialId, ModelCandidate candidate) {
        return ActivityOptions.newBuilder(training(taskQueue))
                .setStartToCloseTimeout(Duration.ofHours(2))
                .setRetryOptions(retries(3))
                .setSummary("optimize trial " + trialId + " (" + candidate.type().wire() + ")")
                .build();
    }

    /**
     * A monitor's check reads the window's feedback and prediction log and scores the feedback with the champion:
     * seconds for most models, minutes for a week of heavy traffic; it heartbeats (Liveness) so a dead worker is
     * noticed in 30 s. A check that keeps failing is retried a few times, then the next interval's check takes over.
     */
    public static ActivityOptions monitoring() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setStartToCloseTimeout(Duration.ofMinutes(15))
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .setRetryOptions(retries(4))
                .build();
    }

    /**
     * Ledger, report, index, warm-start records and the registry's own mirror writes are small writes:
     * a minute is ample, and is how long a worker killed in the middle of one delays the run.
     */
    public static ActivityOptions light() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(retries(20))
                .build();
    }

    /**
     * One webhook POST: 30 s for the receiver to answer. Retries back off from 1 s (1, 2, 4, … capped at 10 minutes)
     * for 15 attempts, about an hour: a receiver down for a deploy still gets its events, one gone for good
     * stops being called. A 4xx refusal ({@code WEBHOOK_REJECTED}) is not retried.
     */
    public static ActivityOptions webhook() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofMinutes(10))
                        .setMaximumAttempts(WEBHOOK_ATTEMPTS)
                        .setDoNotRetry(FailureTypes.ALL)
                        .build())
                .build();
    }

    public static final int WEBHOOK_ATTEMPTS = 15;
}
