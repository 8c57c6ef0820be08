package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.FeaturesResult;
import dev.trainlayer.workflows.activity.SearchObservation;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.spec.PipelineSpec;
import java.util.List;

/**
 * A hyperparameter search over a run's features. {@code finished}, {@code observations}, {@code launched}
 * and {@code startedAtMillis} carry a search across continue-as-new (empty and 0 at first); the first
 * {@code priors} observations came from earlier runs (warm start). {@code trialsPerExecution} is how many
 * trials one execution finishes before it continues as new (null: {@link SearchWorkflowImpl#TRIALS_PER_EXECUTION}).
 * {@code pipeline} is the run's project-qualified pipeline (null in runs from before projects). {@code events}
 * carries the search's event log across continue-as-new, {@code retired} the candidates that get no more
 * trials and {@code budgetVersion} the budget rules the search started with (see {@link BudgetAllocation}; null:
 * a search from before them).
 */
public record SearchInput(String runId, PipelineSpec spec, FeaturesResult features, List<TrialResult> finished,
                          List<SearchObservation> observations, int launched, long startedAtMillis, int priors,
                          Integer trialsPerExecution, String pipeline, List<RunEvent> events, List<String> retired,
                          Integer budgetVersion) {
    public SearchInput {
        finished = finished == null ? List.of() : List.copyOf(finished);
        observations = observations == null ? List.of() : List.copyOf(observations);
        events = events == null ? List.of() : List.copyOf(events);
        retired = retired == null ? List.of() : List.copyOf(retired);
    }

    public SearchInput(String runId, PipelineSpec spec, FeaturesResult features, List<TrialResult> finished,
                       List<SearchObservation> observations, int launched, long startedAtMillis, int priors,
                       Integer trialsPerExecution, String pipeline, List<RunEvent> events) {
        this(runId, spec, features, finished, observations, launched, startedAtMillis, priors, trialsPerExecution, pipeline,
                events, null, null);
    }

    public SearchInput(String runId, PipelineSpec spec, FeaturesResult features, List<TrialResult> finished,
                       List<SearchObservation> observations, int launched, long startedAtMillis, int priors,
                       Integer trialsPerExecution, String pipeline) {
        this(runId, spec, features, finished, observations, launched, startedAtMillis, priors, trialsPerExecution, pipeline, null);
    }

    public SearchInput(String runId, PipelineSpec spec, FeaturesResult features, List<TrialResult> finished,
                       List<SearchObservation> observations, int launched, long startedAtMillis, int priors,
                       Integer trialsPerExecution) {
        this(runId, spec, features, finished, observations, launched, startedAtMillis, priors, trialsPerExecution, null);
    }

    public static SearchInput start(String runId, PipelineSpec spec, FeaturesResult features) {
        return start(runId, spec, features, null);
    }

    /** @param pipeline the run's project-qualified pipeline, whose earlier searches warm-start this one */
    public static SearchInput start(String runId, PipelineSpec spec, FeaturesResult features, String pipeline) {
        return new SearchInput(runId, spec, features, List.of(), List.of(), 0, 0, 0, null, pipeline);
    }

    /** The pipeline whose searches this one reads and adds to (the bare spec name in runs from before projects). */
    public String pipelineKey() {
        return pipeline == null ? spec.name() : pipeline;
    }
}
