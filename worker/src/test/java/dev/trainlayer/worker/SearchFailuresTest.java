package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.activities.data.DataActivitiesImpl;
import dev.trainlayer.activities.evaluation.EvaluationActivitiesImpl;
import dev.trainlayer.activities.registry.RegistryActivitiesImpl;
import dev.trainlayer.activities.run.RunActivitiesImpl;
import dev.trainlayer.activities.train.TrainingActivitiesImpl;
import dev.trainlayer.activities.tuning.TuningActivitiesImpl;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.activity.TrainingActivities;
import dev.trainlayer.workflows.activity.TrialInput;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.workflow.ModelRegistryWorkflowImpl;
import dev.trainlayer.workflows.workflow.RetrainInput;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.RetrainWorkflowImpl;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.RunStatus;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.SearchResult;
import dev.trainlayer.workflows.workflow.SearchWorkflowImpl;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search some of whose trials crash (the training activity fails them the way an out-of-memory worker
 * would, non-retryably) while the others train for real: failed trials are results, not the end of the
 * search — until too many fail in a row.
 */
class SearchFailuresTest {
    @TempDir
    static Path dir;
    static StoreFixture store;
    static TestWorkflowEnvironment env;
    static String dataUri;

    /** Real training, except that odd-numbered trials crash — and in run-2 every trial does. */
    static final class CrashingTrials implements TrainingActivities {
        private final TrainingActivitiesImpl real;

        CrashingTrials(TrainingActivitiesImpl real) {
            this.real = real;
        }

        @Override
        public TrialResult trainTrial(TrialInput input) {
            int index = Integer.parseInt(input.trialId().substring(0, 3));
            if (input.runId().equals("run-2") || index % 2 == 1) {
                throw ApplicationFailure.newNonRetryableFailure("worker ran out of memory in trial " + input.trialId(),
                        "TRIAL_CRASHED");
            }
            return real.trainTrial(input);
        }

        @Override
        public dev.trainlayer.workflows.registry.Optimization optimize(dev.trainlayer.workflows.activity.OptimizeInput input) {
            return real.optimize(input);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        store = new StoreFixture(dir);
        dataUri = store.upload("bc/breast_cancer.csv", StoreFixture.BREAST_CANCER);
        env = TestWorkflowEnvironment.newInstance();
        SearchAttributes.ALL.forEach(k -> env.registerSearchAttribute(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        env.registerSearchAttribute(SearchAttributes.BEST_METRIC.getName(), IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE);
        WorkflowClient client = env.getWorkflowClient();
        Worker control = env.newWorker(TaskQueues.CONTROL);
        control.registerWorkflowImplementationTypes(RetrainWorkflowImpl.class, SearchWorkflowImpl.class, ModelRegistryWorkflowImpl.class);
        control.registerActivitiesImplementations(new DataActivitiesImpl(store.store), new EvaluationActivitiesImpl(store.store),
                new RunActivitiesImpl(store.store), new RegistryActivitiesImpl(store.store, client),
                new TuningActivitiesImpl(store.store));
        env.newWorker(TaskQueues.TRAIN).registerActivitiesImplementations(new CrashingTrials(new TrainingActivitiesImpl(store.store)));
        env.start();
    }

    @AfterAll
    static void stop() throws Exception {
        env.close();
        store.close();
    }

    static RetrainWorkflow start(String name, String runId, String search, String models) {
        PipelineSpec spec = SpecParser.parse("""
                name: %s
                task: classification
                target: diagnosis
                data: {uri: %s}
                seed: 7
                search: %s
                %s""".formatted(name, dataUri, search, models));
        RetrainWorkflow run = env.getWorkflowClient().newWorkflowStub(RetrainWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.retrain(name, runId)).setTaskQueue(TaskQueues.CONTROL)
                .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.PIPELINE, name).set(SearchAttributes.MODEL, name).build())
                .build());
        WorkflowClient.start(run::run, new RetrainInput(runId, spec, "test"));
        return run;
    }

    @Test
    void failedTrialsAreRecordedAndTheSearchGoesOn() {
        RetrainWorkflow run = start("crash-some", "run-1", "{trials: 8, parallelism: 2}", """
                models:
                  - type: xgboost
                    params: {numRounds: 40, earlyStoppingRounds: 5}
                """);
        RunState state = WorkflowStub.fromTyped(run).getResult(RunState.class);
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        // The searched trials; the winner's refit comes after them.
        List<dev.trainlayer.workflows.workflow.TrialSummary> searched =
                state.trials().stream().filter(t -> !t.trialId().endsWith("/refit")).toList();
        assertEquals(8, searched.size(), "every trial of the budget ran");
        assertEquals("trial budget of 8 used", state.searchStop());
        List<String> failed = searched.stream().filter(t -> "FAILED".equals(t.status())).map(t -> t.failure()).toList();
        assertEquals(4, failed.size(), failed::toString);
        assertTrue(failed.stream().allMatch(f -> f.startsWith("worker ran out of memory")), failed::toString);
        assertEquals(4, searched.stream().filter(t -> "COMPLETED".equals(t.status())).count());
        assertTrue(searched.stream().filter(t -> "COMPLETED".equals(t.status())).anyMatch(t -> t.trialId().equals(state.bestTrial())));
        assertTrue(store.store.getString(dev.trainlayer.workflows.artifact.Keys.ledger("run-1")).contains("worker ran out of memory"));
    }

    @Test
    void fiveFailuresInARowStopTheSearchWithAReason() {
        RetrainWorkflow run = start("crash-all", "run-2", "{trials: 12, parallelism: 1}",
                "models: [{type: xgboost, params: {numRounds: 20}}]");
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(run).getResult(RunState.class));
        assertEquals(FailureTypes.NO_SUCCESSFUL_TRIAL, ((ApplicationFailure) e.getCause()).getType());
        SearchResult search = env.getWorkflowClient().newUntypedWorkflowStub(WorkflowIds.retrain("crash-all", "run-2") + "/search")
                .getResult(SearchResult.class);
        assertEquals(5, search.trials().size(), "the search stopped launching after the fifth failure");
        assertTrue(search.stopReason().startsWith("5 trials failed in a row; the last: worker ran out of memory"), search.stopReason());
    }
}
