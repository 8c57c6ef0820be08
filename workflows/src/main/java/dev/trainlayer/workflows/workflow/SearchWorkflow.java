package dev.trainlayer.workflows.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** The hyperparameter search of one run: suggest → train in parallel → observe, until a budget or target stops it. */
@WorkflowInterface
public interface SearchWorkflow {
    @WorkflowMethod
    SearchResult run(SearchInput input);

    @QueryMethod
    List<TrialSummary> trials();

    /** The search's event log from position {@code from} on (0: all of it). */
    @QueryMethod
    List<RunEvent> events(int from);

    /**
     * The pruning plan a running trial (or one of its folds: {@code 003-mlp/fold-1}) is held to as the search stands
     * now: its candidate's bars and the leading candidate's, from every trial finished so far. A trial's plan is built
     * when it starts; a long trial asks at each of its check steps, so bars set by trials that finished after it
     * started hold it too. Null for a trial not running here, or a search started before {@code budget-allocation}
     * version 4 (its trials keep the plan they started with).
     */
    @QueryMethod(name = PRUNING_PLAN_QUERY)
    dev.trainlayer.workflows.activity.PruningPlan pruningPlan(String trialId);

    /** The query's name, which trial activities call. */
    String PRUNING_PLAN_QUERY = "pruningPlan";
}
