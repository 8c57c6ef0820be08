package dev.trainlayer.worker;

import dev.trainlayer.activities.train.Devices;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.client.TemporalConnection;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the Temporal workers when the application context starts, and drains them on shutdown. */
@Context
@Requires(property = WorkerHost.ENABLED, value = "true")
public class WorkerHost {
    public static final String ENABLED = "trainlayer.worker.enabled";
    private static final Logger log = LoggerFactory.getLogger(WorkerHost.class);

    private final WorkerFactory factory;

    public WorkerHost(WorkflowServiceStubs stubs, WorkflowClient client, ObjectStore store,
                      @Value("${trainlayer.temporal.namespace:default}") String namespace,
                      @Value("${trainlayer.worker.training-slots:0}") int trainingSlots,
                      @Value("${trainlayer.worker.sticky:true}") boolean sticky) {
        TemporalConnection.registerSearchAttributes(stubs, namespace);
        int slots = trainingSlots > 0 ? trainingSlots : Runtime.getRuntime().availableProcessors();
        int gpus = Devices.gpuCount();
        factory = WorkerFactory.newInstance(client);
        Workers.register(factory, client, store, new Workers.Options(slots, gpus, sticky));
        factory.start();
        log.info("worker started: namespace {}, {} training slot(s), {} GPU(s){}", namespace, slots, gpus,
                gpus > 0 ? " (polling the GPU queue)" : "");
    }

    @PreDestroy
    void stop() {
        factory.shutdown();
        factory.awaitTermination(30, TimeUnit.SECONDS);
    }
}
