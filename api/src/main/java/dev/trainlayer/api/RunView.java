package dev.trainlayer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainlayer.workflows.workflow.GateResult;
import dev.trainlayer.workflows.workflow.TrialSummary;
import java.util.List;
import java.util.Map;

/**
 * A run as the API shows it. {@code metrics} are the challenger's test-set metrics keyed by name;
 * {@code failure} is set for FAILED runs with the stable type (e.g. DATA_INVALID) and the message.
 * For searched runs, {@code importance} says which parameters mattered and {@code searchStop} why it ended.
 * {@code warmStartedFrom} is the champion version an incremental run continued training from.
 * {@code endedAt} is when Temporal closed the run (absent while it runs). {@code feedbackRows} of {@code rows} came from
 * the pipeline's feedback; {@code comparison} is the challenger-vs-champion significance test ({@code gates.significance});
 * {@code triggerReason} says which condition of the pipeline's trigger started a {@code monitor} run; {@code reproduction}
 * is what a run that reproduced a model version found (see {@link dev.trainlayer.workflows.workflow.Reproduction});
 * {@code optimization} is what the run's {@code optimize} step made of its model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(
        String runId,
        String workflowId,
        String pipeline,
        String model,
        String status,
        String phase,
        String createdAt,
        String datasetSha256,
        Long rows,
        String metric,
        List<TrialSummary> trials,
        String bestTrial,
        Map<String, Double> metrics,
        Map<String, Double> championMetrics,
        Integer championVersion,
        List<GateResult> gates,
        Integer modelVersion,
        Boolean promoted,
        List<String> reasons,
        List<String> warnings,
        Failure failure,
        String ledger,
        Map<String, Double> importance,
        String searchStop,
        Integer searchPriors,
        Integer warmStartedFrom,
        String endedAt,
        Long feedbackRows,
        dev.trainlayer.workflows.activity.PairedComparison comparison,
        String triggerReason,
        dev.trainlayer.workflows.workflow.Reproduction reproduction,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        dev.trainlayer.workflows.registry.Optimization optimization) {

    /** Why a run failed: the stable type, the message, and what to do about it ({@code action}, for known types). */
    public record Failure(String type, String message) {
        @com.fasterxml.jackson.annotation.JsonProperty("action")
        public String action() {
            return FailureAdvice.of(type);
        }
    }

    /**
     * {@code schedule} for a run a Temporal Schedule started, {@code monitor} for one a pipeline's trigger started,
     * {@code api} for one started by a call.
     */
    @com.fasterxml.jackson.annotation.JsonProperty("trigger")
    public String trigger() {
        return trigger(runId);
    }

    public static String trigger(String runId) {
        if (runId != null && runId.startsWith("scheduled-")) {
            return "schedule";
        }
        return runId != null && runId.startsWith("triggered-") ? "monitor" : "api";
    }
}
