package dev.trainlayer.api;

import dev.trainlayer.api.auth.Public;
import dev.trainlayer.store.ObjectStore;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Liveness and readiness for load balancers and orchestrators, without a key: whether the API reaches
 * Temporal and the store. It says UP or DOWN per dependency and nothing else (no versions, no addresses).
 */
@Controller("/health")
@ExecuteOn(TaskExecutors.BLOCKING)
public class HealthController {
    private final WorkflowServiceStubs stubs;
    private final ObjectStore store;

    public HealthController(WorkflowServiceStubs stubs, ObjectStore store) {
        this.stubs = stubs;
        this.store = store;
    }

    @Get
    @Public
    public HttpResponse<Map<String, Object>> health() {
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("temporal", up(() -> stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())));
        components.put("store", up(() -> store.exists("health/probe")));
        boolean ok = components.values().stream().allMatch("UP"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? "UP" : "DOWN");
        body.put("components", components);
        return HttpResponse.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    private static String up(Runnable probe) {
        try {
            probe.run();
            return "UP";
        } catch (RuntimeException e) {
            return "DOWN";
        }
    }
}
