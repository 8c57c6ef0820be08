package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.Metric;
import java.util.List;
import java.util.Map;

/**
 * A run as users see it: returned by the {@code status} query while it runs and as its result.
 * {@code metrics} are the challenger's test-set metrics keyed by metric name; {@code championMetrics}
 * are the champion's on the same rows. {@code importance} (which searched parameters mattered, from the
 * optimizer's fitted length scales) and {@code searchStop} (why the search ended) are set for searched runs.
 * {@code warmStartedFrom} is the champion version an incremental run continued training from. {@code feedbackRows}
 * of {@code rows} came from the pipeline's feedback; {@code comparison} is the paired significance test of the
 * challenger against the champion ({@code gates.significance}); {@code trigger} is what started the run when a monitor
 * did ({@code reason} says why). {@code reproduction} is set on a run that reproduced a version (see {@link Reproduction}).
 * {@code optimization} is what the run's {@code optimize} step made of its model (see
 * {@link dev.trainlayer.workflows.registry.Optimization}).
 */
public record RunState(
        String runId,
        String pipeline,
        String model,
        RunStatus status,
        Phase phase,
        String datasetSha256,
        long rows,
        String specHash,
        Metric metric,
        List<TrialSummary> trials,
        String bestTrial,
        Map<String, Double> metrics,
        Map<String, Double> championMetrics,
        Integer championVersion,
        List<GateResult> gates,
        Integer modelVersion,
        boolean promoted,
        List<String> reasons,
        List<String> warnings,
        ArtifactRef ledger,
        Map<String, Double> importance,
        String searchStop,
        Integer searchPriors,
        Integer warmStartedFrom,
        Long feedbackRows,
        dev.trainlayer.workflows.activity.PairedComparison comparison,
        String trigger,
        String triggerReason,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Reproduction reproduction,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        dev.trainlayer.workflows.registry.Optimization optimization) {

    public RunState(String runId, String pipeline, String model, RunStatus status, Phase phase, String datasetSha256, long rows,
                    String specHash, Metric metric, List<TrialSummary> trials, String bestTrial, Map<String, Double> metrics,
                    Map<String, Double> championMetrics, Integer championVersion, List<GateResult> gates, Integer modelVersion,
                    boolean promoted, List<String> reasons, List<String> warnings, ArtifactRef ledger, Map<String, Double> importance,
                    String searchStop, Integer searchPriors, Integer warmStartedFrom, Long feedbackRows,
                    dev.trainlayer.workflows.activity.PairedComparison comparison, String trigger, String triggerReason,
                    Reproduction reproduction) {
        this(runId, pipeline, model, status, phase, datasetSha256, rows, specHash, metric, trials, bestTrial, metrics, championMetrics,
                championVersion, gates, modelVersion, promoted, reasons, warnings, ledger, importance, searchStop, searchPriors,
                warmStartedFrom, feedbackRows, comparison, trigger, triggerReason, reproduction, null);
    }
}
