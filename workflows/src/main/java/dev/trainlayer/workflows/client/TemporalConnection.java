package dev.trainlayer.workflows.client;

import dev.trainlayer.workflows.workflow.SearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to a Temporal frontend (the embedded test server, the CLI dev server or a cluster) and
 * registers trainlayer's search attributes, which the workflows upsert and the API filters by.
 */
public final class TemporalConnection {
    private static final Logger log = LoggerFactory.getLogger(TemporalConnection.class);

    private TemporalConnection() {}

    public static WorkflowServiceStubs stubs(String target) {
        return stubs(target, Security.NONE);
    }

    /**
     * How to reach a remote cluster: an API key (Temporal Cloud, or a server with an authorizer) sent as a
     * bearer token over TLS, and/or mTLS with a client certificate and key (PEM, PKCS#8). Empty values mean
     * "not used"; an API key or a certificate turns TLS on. Values come from configuration/environment only.
     */
    public record Security(String apiKey, String clientCertPath, String clientKeyPath, boolean tls) {
        public static final Security NONE = new Security(null, null, null, false);

        /**
         * From configuration: {@code trainlayer.temporal.api-key}, {@code trainlayer.temporal.tls.client-cert},
         * {@code trainlayer.temporal.tls.client-key}, {@code trainlayer.temporal.tls.enabled}; {@code property}
         * answers null for a property that is not set.
         */
        public static Security from(java.util.function.Function<String, String> property) {
            return new Security(property.apply("trainlayer.temporal.api-key"),
                    property.apply("trainlayer.temporal.tls.client-cert"),
                    property.apply("trainlayer.temporal.tls.client-key"),
                    Boolean.parseBoolean(property.apply("trainlayer.temporal.tls.enabled")));
        }

        boolean useTls() {
            return tls || present(apiKey) || present(clientCertPath);
        }

        static boolean present(String s) {
            return s != null && !s.isBlank();
        }
    }

    public static WorkflowServiceStubs stubs(String target, Security security) {
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(target)
                .setMetricsScope(Telemetry.temporalScope());
        if (security.useTls()) {
            if (Security.present(security.clientCertPath())) {
                if (!Security.present(security.clientKeyPath())) {
                    throw new IllegalArgumentException("trainlayer.temporal.tls.client-key: needed with a client certificate");
                }
                try (java.io.InputStream cert = java.nio.file.Files.newInputStream(java.nio.file.Path.of(security.clientCertPath()));
                     java.io.InputStream key = java.nio.file.Files.newInputStream(java.nio.file.Path.of(security.clientKeyPath()))) {
                    options.setSslContext(io.temporal.serviceclient.SimpleSslContextBuilder.forPKCS8(cert, key).build());
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot read the Temporal client certificate or key: " + e.getMessage(), e);
                }
            } else {
                options.setEnableHttps(true);
            }
            if (Security.present(security.apiKey())) {
                String key = security.apiKey();
                options.addApiKey(() -> key);
            }
        }
        return WorkflowServiceStubs.newServiceStubs(options.build());
    }

    public static WorkflowClient client(WorkflowServiceStubs stubs, String namespace) {
        return client(stubs, namespace, io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE);
    }

    /** A client whose payloads go through {@code converter} (see {@link #dataConverter}); workers inherit it. */
    public static WorkflowClient client(WorkflowServiceStubs stubs, String namespace, io.temporal.common.converter.DataConverter converter) {
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).setDataConverter(converter).build());
    }

    /** The property that holds the payload keys ({@code TRAINLAYER_PAYLOAD_KEYS}). */
    public static final String PAYLOAD_KEYS = "trainlayer.payload-keys";

    /**
     * Temporal's JSON converter, behind {@link dev.trainlayer.workflows.codec.EncryptionCodec} when payload keys are
     * configured ({@code keyId:base64,…}; empty: plain JSON, as before). Worker, API and schedules must share it.
     */
    public static io.temporal.common.converter.DataConverter dataConverter(String payloadKeys) {
        return dev.trainlayer.workflows.codec.PayloadKeys.parse(payloadKeys)
                .<io.temporal.common.converter.DataConverter>map(keys -> new io.temporal.common.converter.CodecDataConverter(
                        io.temporal.common.converter.DefaultDataConverter.newDefaultInstance(),
                        java.util.List.of(new dev.trainlayer.workflows.codec.EncryptionCodec(keys)), true))
                .orElse(io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE);
    }

    /** Adds the search attributes when missing. Idempotent; a server that already has them is fine. */
    public static void registerSearchAttributes(WorkflowServiceStubs stubs, String namespace) {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel()).validateAndBuildWithDefaults());
        try {
            Map<String, IndexedValueType> wanted = new HashMap<>();
            SearchAttributes.ALL.forEach(k -> wanted.put(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
            wanted.put(SearchAttributes.BEST_METRIC.getName(), IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE);
            operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace).putAllSearchAttributes(wanted).build());
            log.info("registered search attributes {}", wanted.keySet());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.PERMISSION_DENIED || e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                // Temporal Cloud and locked-down clusters register attributes out of band (tcld, an operator).
                log.warn("cannot register search attributes here ({}): register {} as Keyword and {} as Double "
                                + "(e.g. `temporal operator search-attribute create`, or tcld on Temporal Cloud)",
                        e.getStatus().getCode(), SearchAttributes.ALL.stream().map(k -> k.getName()).toList(),
                        SearchAttributes.BEST_METRIC.getName());
            } else if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        } finally {
            operator.shutdown();
        }
    }
}
