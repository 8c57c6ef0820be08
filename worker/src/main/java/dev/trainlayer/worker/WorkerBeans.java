package dev.trainlayer.worker;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.StoreConfig;
import dev.trainlayer.workflows.client.TemporalConnection;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;

/**
 * Clients the worker needs, built from configuration ({@code trainlayer.temporal.*},
 * {@code trainlayer.store.*}; environment variables such as {@code TRAINLAYER_STORE_SECRET_KEY} map onto
 * them). Active only in a worker process: {@code trainlayer.worker.enabled=true}.
 */
@Factory
@Requires(property = WorkerHost.ENABLED, value = "true")
public class WorkerBeans {

    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs workerServiceStubs(@Value("${trainlayer.temporal.target:`127.0.0.1:7233`}") String target,
                                            io.micronaut.context.env.Environment environment) {
        return TemporalConnection.stubs(target, TemporalConnection.Security.from(
                key -> environment.getProperty(key, String.class).orElse(null)));
    }

    @Singleton
    WorkflowClient workerWorkflowClient(WorkflowServiceStubs stubs,
                                        @Value("${trainlayer.temporal.namespace:default}") String namespace,
                                        @Value("${" + TemporalConnection.PAYLOAD_KEYS + ":}") String payloadKeys) {
        return TemporalConnection.client(stubs, namespace, TemporalConnection.dataConverter(payloadKeys));
    }

    @Singleton
    ObjectStore workerObjectStore(@Value("${trainlayer.store.endpoint:`http://127.0.0.1:9000`}") String endpoint,
                                  @Value("${trainlayer.store.access-key:}") String accessKey,
                                  @Value("${trainlayer.store.secret-key:}") String secretKey,
                                  @Value("${trainlayer.store.bucket:trainlayer}") String bucket,
                                  @Value("${trainlayer.store.region:us-east-1}") String region,
                                  @Value("${" + StoreConfig.DEV_STACK + ":false}") boolean devStack) {
        return ObjectStore.open(new StoreConfig(endpoint, accessKey, secretKey, bucket, region).requireOwnCredentials(devStack));
    }
}
