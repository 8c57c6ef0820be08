package dev.trainlayer.worker;

import dev.trainlayer.activities.data.DataActivitiesImpl;
import dev.trainlayer.activities.evaluation.EvaluationActivitiesImpl;
import dev.trainlayer.activities.monitoring.MonitoringActivitiesImpl;
import dev.trainlayer.activities.notify.NotifyActivitiesImpl;
import dev.trainlayer.activities.notify.TemporalAlertSink;
import dev.trainlayer.activities.registry.RegistryActivitiesImpl;
import dev.trainlayer.activities.run.RunActivitiesImpl;
import dev.trainlayer.activities.serving.ScoringActivitiesImpl;
import dev.trainlayer.activities.train.TrainingActivitiesImpl;
import dev.trainlayer.activities.tuning.TuningActivitiesImpl;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.artifact.DataAccess;
import dev.trainlayer.workflows.notify.NotifyWorkflowImpl;
import dev.trainlayer.workflows.workflow.ModelRegistryWorkflowImpl;
import dev.trainlayer.workflows.workflow.MonitorWorkflowImpl;
import dev.trainlayer.workflows.workflow.RetrainWorkflowImpl;
import dev.trainlayer.workflows.workflow.ScoreWorkflowImpl;
import dev.trainlayer.workflows.workflow.SearchWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;

/**
 * What a trainlayer worker hosts, on which queue: workflows and light activities on the control queue,
 * trials on the training queue (one slot per trial that may run at once) and, on machines whose DJL
 * engine sees a GPU, on the GPU queue too (one slot per GPU).
 */
public final class Workers {
    private Workers() {}

    /**
     * @param trainingSlots trials that may train at once on the CPU queue
     * @param gpus          GPUs visible to this worker; 0 means the GPU queue is not polled
     * @param sticky        false against the Temporal Java test server, where a killed worker's sticky
     *                      queue would stall its workflows
     * @param dataAccess    what each project's specs may read (null: its own uploads only)
     */
    public record Options(int trainingSlots, int gpus, boolean sticky, DataAccess dataAccess) {
        public Options(int trainingSlots, int gpus, boolean sticky) {
            this(trainingSlots, gpus, sticky, null);
        }
    }

    /** What every factory that hosts trainlayer's workers is built with: the integrity rule on every activity. */
    public static io.temporal.worker.WorkerFactoryOptions factoryOptions() {
        return io.temporal.worker.WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new ArtifactIntegrity()).build();
    }

    /** A factory for trainlayer's workers ({@link #factoryOptions()}). */
    public static WorkerFactory newFactory(WorkflowClient client) {
        return WorkerFactory.newInstance(client, factoryOptions());
    }

    public static void register(WorkerFactory factory, WorkflowClient client, ObjectStore store, Options options) {
        Worker control = factory.newWorker(TaskQueues.CONTROL, base(options).build());
        control.registerWorkflowImplementationTypes(RetrainWorkflowImpl.class, SearchWorkflowImpl.class,
                ModelRegistryWorkflowImpl.class, NotifyWorkflowImpl.class, ScoreWorkflowImpl.class, MonitorWorkflowImpl.class);
        control.registerActivitiesImplementations(
                new DataActivitiesImpl(store, options.dataAccess() == null ? DataAccess.uploadsOnly(store.bucket()) : options.dataAccess()),
                new EvaluationActivitiesImpl(store),
                new RunActivitiesImpl(store),
                new RegistryActivitiesImpl(store, client),
                new TuningActivitiesImpl(store),
                new NotifyActivitiesImpl(store),
                new MonitoringActivitiesImpl(store, client));
        TrainingActivitiesImpl training = new TrainingActivitiesImpl(store, new TemporalAlertSink(client, store));
        // Batch scoring is compute like training: it takes a training slot.
        ScoringActivitiesImpl scoring = new ScoringActivitiesImpl(store,
                options.dataAccess() == null ? DataAccess.uploadsOnly(store.bucket()) : options.dataAccess());
        factory.newWorker(TaskQueues.TRAIN, base(options).setMaxConcurrentActivityExecutionSize(options.trainingSlots()).build())
                .registerActivitiesImplementations(training, scoring);
        if (options.gpus() > 0) {
            factory.newWorker(TaskQueues.TRAIN_GPU, base(options).setMaxConcurrentActivityExecutionSize(options.gpus()).build())
                    .registerActivitiesImplementations(training);
        }
    }

    private static WorkerOptions.Builder base(Options options) {
        WorkerOptions.Builder builder = WorkerOptions.newBuilder();
        if (!options.sticky()) {
            builder.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
        }
        return builder;
    }
}
