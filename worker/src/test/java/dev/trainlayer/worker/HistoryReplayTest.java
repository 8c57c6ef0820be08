package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.trainlayer.workflows.workflow.ModelRegistryWorkflowImpl;
import dev.trainlayer.workflows.workflow.MonitorWorkflowImpl;
import dev.trainlayer.workflows.workflow.RetrainWorkflowImpl;
import dev.trainlayer.workflows.workflow.SearchWorkflowImpl;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Recorded histories of real runs (a promoted run, a rejected run, an approval, a registry, a searched run
 * and its search, runs from before the search existed, runs that publish webhook events: *_notifications, and a pipeline
 * monitor with the run it started and its automatic rollback: monitor_*, retrain_default_fb_triggered-*, and a search
 * that retires a model family and stops its running trial: *_bc-budget_run-23, a spec without candidates that searches
 * the four default families: *_bc-families_run-25, the same search starting from each family's defaults:
 * *_bc-families_run-25_starts, a time-budgeted search whose trials stop at its end: *_bc-deadline_run-28, and a search of
 * two candidates whose bars from the third check on need three trials: *_bc-shared_run-29, a search whose first trial
 * is held to bars set while it ran (budget-allocation version 4): *_bc-live_run-34, a run whose network is
 * pruned, fine-tuned and quantized after its gates: *_bc-optimize_run-30, the next run judging that optimized champion as
 * it is served: *_bc-optimize_run-33, and their registry: registry_bc-optimize) replayed against today's workflow code: a change that would break running workflows fails here. Changes to
 * workflow logic go under Workflow.getVersion; regenerate the files only for new behaviour (see
 * RetrainWorkflowTest) and keep the old ones.
 */
class HistoryReplayTest {
    @Test
    void recordedHistoriesReplayOnTheCurrentCode() throws Exception {
        List<Path> histories;
        try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "histories"))) {
            histories = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(histories.isEmpty());
        for (Path history : histories) {
            String json = Files.readString(history);
            if (history.getFileName().toString().startsWith("registry")) {
                WorkflowReplayer.replayWorkflowExecution(json, ModelRegistryWorkflowImpl.class);
            } else if (history.getFileName().toString().startsWith("monitor")) {
                WorkflowReplayer.replayWorkflowExecution(json, MonitorWorkflowImpl.class);
            } else if (history.getFileName().toString().startsWith("search")) {
                WorkflowReplayer.replayWorkflowExecution(json, SearchWorkflowImpl.class);
            } else {
                WorkflowReplayer.replayWorkflowExecution(json, RetrainWorkflowImpl.class);
            }
        }
    }
}
