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
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    }

    public static WorkflowClient client(WorkflowServiceStubs stubs, String namespace) {
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
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
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        } finally {
            operator.shutdown();
        }
    }
}
