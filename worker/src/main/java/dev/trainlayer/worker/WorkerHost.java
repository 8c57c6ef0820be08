package dev.trainlayer.worker;

import dev.trainlayer.activities.train.Devices;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.DataAccess;
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
    private final MetricsEndpoint metrics;

    public WorkerHost(WorkflowServiceStubs stubs, WorkflowClient client, ObjectStore store,
                      @Value("${trainlayer.temporal.namespace:default}") String namespace,
                      @Value("${trainlayer.worker.training-slots:0}") int trainingSlots,
                      @Value("${trainlayer.worker.sticky:true}") boolean sticky,
                      @Value("${trainlayer.worker.metrics.host:127.0.0.1}") String metricsHost,
                      @Value("${trainlayer.worker.metrics.port:9464}") int metricsPort,
                      @Value("${trainlayer.metrics.token:}") String metricsToken,
                      io.micronaut.context.env.Environment environment) {
        TemporalConnection.registerSearchAttributes(stubs, namespace);
        int slots = trainingSlots > 0 ? trainingSlots : Runtime.getRuntime().availableProcessors();
        int gpus = Devices.gpuCount();
        factory = Workers.newFactory(client);
        Workers.register(factory, client, store, new Workers.Options(slots, gpus, sticky,
                DataAccess.of(store.bucket(), dataPrefixes(environment))));
        factory.start();
        metrics = MetricsEndpoint.start(metricsHost, metricsPort, metricsToken);
        log.info("worker started: namespace {}, {} training slot(s), {} GPU(s){}", namespace, slots, gpus,
                gpus > 0 ? " (polling the GPU queue)" : "");
        if (System.getenv("MKL_CBWR") == null) {
            log.warn("MKL_CBWR is not set: on some CPUs an MLP's weights then depend on how many threads its trial gets, so the"
                    + " same spec, data and seed can give another model; set MKL_CBWR=AVX2,STRICT as the image does");
        }
    }

    /** {@code trainlayer.projects.<p>.data-prefixes}, the same setting the API reads. */
    static java.util.Map<String, java.util.List<String>> dataPrefixes(io.micronaut.context.env.Environment environment) {
        java.util.Map<String, java.util.List<String>> out = new java.util.TreeMap<>();
        for (String project : environment.getPropertyEntries("trainlayer.projects")) {
            out.put(project, environment.getProperty("trainlayer.projects." + project + ".data-prefixes",
                    io.micronaut.core.type.Argument.listOf(String.class)).orElse(java.util.List.of()));
        }
        return out;
    }

    @PreDestroy
    void stop() {
        factory.shutdown();
        factory.awaitTermination(30, TimeUnit.SECONDS);
        metrics.close();
    }
}
