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
}
