package dev.trainlayer.activities.train;

import dev.trainlayer.workflows.activity.PruningPlan;
import dev.trainlayer.workflows.workflow.SearchWorkflow;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A search trial's pruning plan as the search stands at each check step. The plan a trial starts with holds bars
 * from the trials finished by then; the first trials of a search start with none, and a slow one among them (an MLP
 * at a learning rate that crawls) then ran to the end of its patience while the trials beside it set bars it was far
 * behind. At each check step the trial asks its search for the plan a trial launched now would get (the workflow
 * query {@link SearchWorkflow#pruningPlan}) and is checked against that. The decision is in the trial's result, so
 * the search replays; which bars stood when depends on which trials finished first, as the search's order already
 * does with several trials at a time. With one trial at a time nothing finishes while a trial runs, so nothing
 * changes there. The same answer carries the search's decision to retire the trial's candidate: the plan then
 * stops the trial ({@link PruningPlan#stop}), where the search used to cancel it. A trial also asks between its
 * check steps, every {@link #BETWEEN_CHECKS_MILLIS} at most, for that stop only.
 *
 * <p>Asking never fails or stalls a trial: an answer that does not come within {@link #WAIT_MILLIS}, an error, or a
 * search that does not answer (older than {@code budget-allocation} version 4) keep the plan the trial has.
 */
final class LiveBars {
    private static final Logger log = LoggerFactory.getLogger(LiveBars.class);
    /** How long a check step waits for the search's answer before it goes on with the plan it has. */
    static final long WAIT_MILLIS = 2_000;
    /** How often a trial asks between its check steps, for a stop only. */
    static final long BETWEEN_CHECKS_MILLIS = 2_000;
    /** A plan that is never refreshed: outside a search (refits, final trainings, tests). */
    static final LiveBars NONE = new LiveBars(null, null, null);

    private static final ExecutorService ASKING = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "trial-bars");
        t.setDaemon(true);
        return t;
    });

    private final WorkflowClient client;
    private final String workflowId;
    private final String trialId;
    private volatile boolean unanswered;
    private long lastAsked = System.nanoTime();

    private LiveBars(WorkflowClient client, String workflowId, String trialId) {
        this.client = client;
        this.workflowId = workflowId;
        this.trialId = trialId;
    }

    /** For the trial running in this activity with {@code plan}; {@link #NONE} where there is nothing to ask. */
    static LiveBars of(String trialId, PruningPlan plan) {
        // With pruning off too (the plan then only records values at its steps): the answer also says when the trial's
        // candidate was retired while it ran.
        if (plan == null) {
            return NONE;
        }
        ActivityExecutionContext context;
        try {
            context = Activity.getExecutionContext();
        } catch (RuntimeException notInAnActivity) {
            return NONE;
        }
        if (!SearchWorkflow.class.getSimpleName().equals(context.getInfo().getWorkflowType())) {
            return NONE;
        }
        return new LiveBars(context.getWorkflowClient(), context.getInfo().getWorkflowId(), trialId);
    }

    /**
     * Between check steps: the reason to stop now when the search has retired this trial's candidate, else null (and
     * null at a check step, where {@link #at} asks). Asks at most every {@link #BETWEEN_CHECKS_MILLIS}, so a trial past
     * its last check step (or between two far apart) still learns it soon.
     */
    String stopBetweenChecks(int step, PruningPlan current) {
        if (client == null || unanswered || current.steps().contains(step)
                || System.nanoTime() - lastAsked < BETWEEN_CHECKS_MILLIS * 1_000_000L) {
            return null;
        }
        return at(step, current).stop();
    }

    /**
     * The plan to check step {@code step} against: the search's current one for this trial when it answers in time
     * with the same checks, else {@code current}.
     */
    PruningPlan at(int step, PruningPlan current) {
        if (client == null || unanswered) {
            return current;
        }
        lastAsked = System.nanoTime();
        // The latest run of the search: it may have continued as new since the trial started.
        CompletableFuture<PruningPlan> answer = CompletableFuture.supplyAsync(() -> client.newUntypedWorkflowStub(
                workflowId, Optional.empty(), Optional.empty()).query(SearchWorkflow.PRUNING_PLAN_QUERY, PruningPlan.class,
                trialId), ASKING);
        PruningPlan fresh;
        try {
            fresh = answer.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return current;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof io.temporal.client.WorkflowQueryException) {
                // A search on a worker that does not know the query (older code) will not learn it during this trial.
                unanswered = true;
            }
            log.debug("trial {}: the search gave no plan at step {} ({}); the trial keeps the one it has", trialId, step,
                    e.getCause() == null ? e.toString() : e.getCause().toString());
            return current;
        } catch (java.util.concurrent.TimeoutException e) {
            // The question stays asked on its pool thread until the query's own deadline; the trial goes on now.
            log.debug("trial {}: no plan from the search within {} ms at step {}; the trial keeps the one it has", trialId,
                    WAIT_MILLIS, step);
            return current;
        }
        if (fresh == null) {
            // A search that does not keep live plans answers null every time: stop asking.
            unanswered = true;
            return current;
        }
        if (fresh.rule() != current.rule() || !fresh.steps().equals(current.steps())) {
            log.debug("trial {}: the search's plan checks other steps ({} {}) than the trial's ({} {}); kept the trial's",
                    trialId, fresh.rule(), fresh.steps(), current.rule(), current.steps());
            return current;
        }
        if (!fresh.rungs().equals(current.rungs())) {
            log.debug("trial {}: bars at step {} as the search stands now: {}", trialId, step, fresh.rungs());
        }
        return fresh;
    }
}
