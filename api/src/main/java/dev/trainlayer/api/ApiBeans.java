package dev.trainlayer.api;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.StoreConfig;
import dev.trainlayer.workflows.client.TemporalConnection;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;

/** Temporal and store clients for the API, from {@code trainlayer.temporal.*} and {@code trainlayer.store.*}. */
@Factory
public class ApiBeans {

    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs apiServiceStubs(@Value("${trainlayer.temporal.target:`127.0.0.1:7233`}") String target,
                                         @Value("${trainlayer.temporal.namespace:default}") String namespace,
                                         io.micronaut.context.env.Environment environment) {
        WorkflowServiceStubs stubs = TemporalConnection.stubs(target, TemporalConnection.Security.from(
                key -> environment.getProperty(key, String.class).orElse(null)));
        TemporalConnection.registerSearchAttributes(stubs, namespace);
        return stubs;
    }

    @Singleton
    WorkflowClient apiWorkflowClient(WorkflowServiceStubs stubs, @Value("${trainlayer.temporal.namespace:default}") String namespace,
                                     @Value("${" + TemporalConnection.PAYLOAD_KEYS + ":}") String payloadKeys) {
        return TemporalConnection.client(stubs, namespace, TemporalConnection.dataConverter(payloadKeys));
    }

    @Singleton
    ObjectStore apiObjectStore(@Value("${trainlayer.store.endpoint:`http://127.0.0.1:9000`}") String endpoint,
                               @Value("${trainlayer.store.access-key:}") String accessKey,
                               @Value("${trainlayer.store.secret-key:}") String secretKey,
                               @Value("${trainlayer.store.bucket:trainlayer}") String bucket,
                               @Value("${trainlayer.store.region:us-east-1}") String region,
                               @Value("${" + StoreConfig.DEV_STACK + ":false}") boolean devStack) {
        return ObjectStore.open(new StoreConfig(endpoint, accessKey, secretKey, bucket, region).requireOwnCredentials(devStack));
    }
}
