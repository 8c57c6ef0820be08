package dev.trainlayer.api;

import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.activity.BatchScoreInput;
import dev.trainlayer.workflows.activity.BatchScoreResult;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.workflow.ScoreWorkflow;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Batch scoring: {@code POST /api/v1/models/{model}/score} starts a {@link ScoreWorkflow} that scores a whole CSV
 * object in a worker and writes a predictions CSV (and the prediction log part) to the store;
 * {@code GET /api/v1/models/{model}/score/{jobId}} reports the job.
 */
@Controller("/api/v1/models")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BatchScoreController {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter JOB = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final WorkflowClient client;
    private final ModelsController models;
    private final RunsController bodies;
    private final DataAccessGuard access;
    private final dev.trainlayer.store.ObjectStore store;

    public BatchScoreController(WorkflowClient client, ModelsController models, RunsController bodies, DataAccessGuard access,
                                dev.trainlayer.store.ObjectStore store) {
        this.client = client;
        this.models = models;
        this.bodies = bodies;
        this.access = access;
        this.store = store;
    }

    public record ScoreRequest(String uri, Integer version) {}

    @Post(value = "/{model}/score", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> start(@PathVariable String model, @Nullable @Body String body,
                                                   @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        ScoreRequest request = bodies.parse(body, ScoreRequest.class, new ScoreRequest(null, null));
        if (request.uri() == null || !request.uri().matches("s3://[^/]+/.+")) {
            throw ApiException.badRequest("uri", "give the CSV to score as s3://bucket/key (e.g. the uri of PUT /api/v1/datasets/{name})");
        }
        access.check(caller.project(), "uri", request.uri());
        RegistryState state = models.state(caller.project(), model);
        ModelVersion version = request.version() != null
                ? state.version(request.version()).orElseThrow(() -> ApiException.notFound("model '" + model + "' has no version " + request.version()))
                : state.championVersion().orElseThrow(() -> ApiException.conflict("model '" + model
                        + "' has no champion yet: give \"version\" to score with a registered version"));
        String registry = Projects.qualify(caller.project(), model);
        Instant now = Instant.now();
        String jobId = JOB.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        BatchScoreInput input = new BatchScoreInput(caller.project(), registry, jobId, request.uri(), version,
                Keys.batchPredictions(registry, jobId), Keys.predictionLog(registry, DAY.format(now), jobId));
        String workflowId = WorkflowIds.score(registry, jobId);
        ScoreWorkflow stub = client.newWorkflowStub(ScoreWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.CONTROL)
                .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.PROJECT, caller.project()).set(SearchAttributes.MODEL, model).build())
                .build());
        WorkflowClient.start(stub::score, input);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobId", jobId);
        out.put("workflowId", workflowId);
        out.put("model", model);
        out.put("version", version.version());
        out.put("status", "RUNNING");
        out.put("output", "s3://" + store.bucket() + "/" + input.outputKey());
        out.put("links", Map.of("self", "/api/v1/models/" + model + "/score/" + jobId));
        return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED).body(out);
    }

    @Get("/{model}/score/{jobId}")
    @Allowed(Role.VIEWER)
    public Map<String, Object> job(@PathVariable String model, @PathVariable String jobId, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        if (!model.matches("[a-z0-9][a-z0-9._-]{0,62}") || !jobId.matches("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}")) {
            throw ApiException.notFound("no scoring job '" + jobId + "' of model '" + model + "'");
        }
        String workflowId = WorkflowIds.score(Projects.qualify(caller.project(), model), jobId);
        WorkflowExecutionStatus status = dev.trainlayer.workflows.client.WorkflowStatus.of(client, workflowId)
                .orElseThrow(() -> ApiException.notFound("no scoring job '" + jobId + "' of model '" + model + "'"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobId", jobId);
        out.put("model", model);
        switch (status) {
            case WORKFLOW_EXECUTION_STATUS_RUNNING -> out.put("status", "RUNNING");
            case WORKFLOW_EXECUTION_STATUS_COMPLETED -> {
                BatchScoreResult result = client.newUntypedWorkflowStub(workflowId).getResult(BatchScoreResult.class);
                out.put("status", "SUCCEEDED");
                out.put("rows", result.rows());
                out.put("scored", result.scored());
                out.put("failed", result.failed());
                out.put("output", result.output().uri());
            }
            default -> {
                out.put("status", "FAILED");
                try {
                    client.newUntypedWorkflowStub(workflowId).getResult(BatchScoreResult.class);
                } catch (WorkflowFailedException e) {
                    Throwable cause = e.getCause();
                    while (cause != null && !(cause instanceof ApplicationFailure)) {
                        cause = cause.getCause();
                    }
                    if (cause instanceof ApplicationFailure failure) {
                        out.put("failure", Map.of("type", failure.getType(), "message", failure.getOriginalMessage()));
                    } else {
                        out.put("failure", Map.of("type", "FAILED", "message", String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage())));
                    }
                }
            }
        }
        return out;
    }
}
