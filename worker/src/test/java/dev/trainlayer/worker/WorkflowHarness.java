package dev.trainlayer.worker;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.client.RegistryClient;
import dev.trainlayer.workflows.workflow.RetrainInput;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;

/** The Temporal test environment with the real worker composition, real activities and a real S3 server. */
final class WorkflowHarness implements AutoCloseable {
    final StoreFixture store;
    final TestWorkflowEnvironment env;
    WorkerFactory factory;
    final String dataUri;

    WorkflowHarness(Path dir) throws Exception {
        this(dir, io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE);
    }

    /** The same with payloads through {@code converter} (e.g. the encryption codec's). */
    WorkflowHarness(Path dir, io.temporal.common.converter.DataConverter converter) throws Exception {
        store = new StoreFixture(dir);
        dataUri = store.upload("bc/breast_cancer.csv", StoreFixture.BREAST_CANCER);
        env = TestWorkflowEnvironment.newInstance(io.temporal.testing.TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(io.temporal.client.WorkflowClientOptions.newBuilder().setDataConverter(converter).build())
                .setWorkerFactoryOptions(Workers.factoryOptions()).build());
        SearchAttributes.ALL.forEach(k -> env.registerSearchAttribute(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        env.registerSearchAttribute(SearchAttributes.BEST_METRIC.getName(), IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE);
        factory = env.getWorkerFactory();
        Workers.register(factory, env.getWorkflowClient(), store.store, new Workers.Options(2, 0, false));
        env.start();
    }

    WorkflowClient client() {
        return env.getWorkflowClient();
    }

    /** Replaces the running worker with a fresh one, as after a worker process crash and restart. */
    void restartWorker() {
        factory.shutdownNow();
        factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        factory = Workers.newFactory(env.getWorkflowClient());
        Workers.register(factory, env.getWorkflowClient(), store.store, new Workers.Options(2, 0, false));
        factory.start();
    }

    static final String MODELS = """
            models:
              - type: mlp
                params: {hiddenLayers: [32], maxEpochs: 80, patience: 10}
              - type: xgboost
                params: {numRounds: 200, earlyStoppingRounds: 20}
            """;

    PipelineSpec spec(String name, String extra) {
        return spec(name, extra, MODELS);
    }

    /** The breast-cancer pipeline with the given models block and extra top-level sections. */
    PipelineSpec spec(String name, String extra, String models) {
        return spec(name, dataUri, extra, models);
    }

    /** The same on other data (a CSV with the breast-cancer columns at {@code uri}). */
    static PipelineSpec spec(String name, String uri, String extra, String models) {
        return SpecParser.parse("""
                name: %s
                task: classification
                target: diagnosis
                data: {uri: %s}
                seed: 7
                %s
                %s""".formatted(name, uri, extra, models));
    }

    RetrainWorkflow start(PipelineSpec spec, String runId) {
        RetrainWorkflow run = client().newWorkflowStub(RetrainWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.retrain(spec.name(), runId))
                .setTaskQueue(TaskQueues.CONTROL)
                .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.PIPELINE, spec.name()).set(SearchAttributes.MODEL, spec.modelName()).build())
                .build());
        WorkflowClient.start(run::run, new RetrainInput(runId, spec, "test"));
        return run;
    }

    /**
     * With {@code -Dtrainlayer.recordHistories=DIR}, writes these workflows' histories there as the golden
     * histories HistoryReplayTest replays (copy the new ones into src/test/resources/histories; keep the old).
     */
    void recordHistories(String... workflowIds) throws java.io.IOException {
        String record = System.getProperty("trainlayer.recordHistories");
        if (record == null) {
            return;
        }
        java.nio.file.Files.createDirectories(Path.of(record));
        for (String id : workflowIds) {
            io.temporal.common.WorkflowExecutionHistory history;
            try {
                history = client().fetchHistory(id);
            } catch (RuntimeException notRunHere) {
                continue; // a test left out of this run (-Dtest=…#one): its recorded history stays as it is
            }
            java.nio.file.Files.writeString(Path.of(record, id.replace('/', '_') + ".json"), history.toJson(true));
        }
    }

    RegistryState registry(String model) {
        return RegistryClient.state(client(), model).orElseThrow();
    }

    @Override
    public void close() throws Exception {
        env.close();
        store.close();
    }
}
