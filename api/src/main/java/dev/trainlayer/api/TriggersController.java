package dev.trainlayer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.client.WorkflowStatus;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.spec.Violation;
import dev.trainlayer.workflows.workflow.MonitorInput;
import dev.trainlayer.workflows.workflow.MonitorState;
import dev.trainlayer.workflows.workflow.MonitorWorkflow;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.TriggerConfig;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import dev.trainlayer.store.ObjectStore;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryException;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pipeline's retrain triggers: {@code PUT} sets them (starting the pipeline's monitor workflow, or updating it),
 * {@code GET} shows them with the monitor's last check and decisions, {@code DELETE} ends the monitor,
 * {@code POST …/check} checks now. Runs a trigger starts are ordinary runs with {@code trigger: monitor}.
 */
@Controller("/api/v1/pipelines/{name}/triggers")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TriggersController {
    private static final Set<String> FIELDS = Set.of("spec", "minNewLabels", "maxDrift", "minLiveMetric", "cooldown",
            "checkEvery", "minLabels", "window", "autoRollback");
    private static final Set<String> ROLLBACK_FIELDS = Set.of("minLabels", "margin", "floor");

    private final WorkflowClient client;
    private final ObjectMapper json;
    private final DataAccessGuard access;
    private final ObjectStore store;

    public TriggersController(WorkflowClient client, ObjectMapper json, DataAccessGuard access, ObjectStore store) {
        this.client = client;
        this.json = json;
        this.access = access;
        this.store = store;
    }

    @Put(consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> put(@PathVariable String name, @Body String body,
                                                 @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        PipelinesController.checkName(name);
        TriggerConfig config = parse(name, body);
        access.check(caller.project(), config.spec());
        String pipeline = Projects.qualify(caller.project(), name);
        String registry = Projects.qualify(caller.project(), config.spec().modelName());
        store.putBytes(Keys.triggers(pipeline), bytes(config), "application/json");
        boolean created;
        if (running(pipeline).isPresent()) {
            client.newWorkflowStub(MonitorWorkflow.class, WorkflowIds.monitor(pipeline)).configure(config);
            created = false;
        } else {
            MonitorWorkflow monitor = client.newWorkflowStub(MonitorWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.monitor(pipeline))
                    .setTaskQueue(TaskQueues.CONTROL)
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                    .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                            .set(SearchAttributes.PROJECT, caller.project())
                            .set(SearchAttributes.PIPELINE, name)
                            .set(SearchAttributes.MODEL, config.spec().modelName())
                            .build())
                    .build());
            try {
                WorkflowClient.start(monitor::run, new MonitorInput(caller.project(), pipeline, registry, config, null));
                created = true;
            } catch (WorkflowExecutionAlreadyStarted e) {
                // Another PUT started it a moment ago: these settings go to it.
                client.newWorkflowStub(MonitorWorkflow.class, WorkflowIds.monitor(pipeline)).configure(config);
                created = false;
            }
        }
        Map<String, Object> out = view(name, pipeline, config, running(pipeline).orElse(null));
        return HttpResponse.<Map<String, Object>>status(created ? HttpStatus.CREATED : HttpStatus.OK).body(out);
    }

    @Get
    @Allowed(Role.VIEWER)
    public Map<String, Object> get(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        PipelinesController.checkName(name);
        String pipeline = Projects.qualify(caller.project(), name);
        MonitorState state = running(pipeline)
                .orElseThrow(() -> ApiException.notFound("pipeline '" + name + "' has no triggers (PUT them first)"));
        return view(name, pipeline, state.config(), state);
    }

    @Delete
    @Allowed(Role.TRAINER)
    public HttpResponse<Void> delete(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        PipelinesController.checkName(name);
        String pipeline = Projects.qualify(caller.project(), name);
        running(pipeline).orElseThrow(() -> ApiException.notFound("pipeline '" + name + "' has no triggers"));
        client.newWorkflowStub(MonitorWorkflow.class, WorkflowIds.monitor(pipeline)).stop();
        store.delete(Keys.triggers(pipeline));
        return HttpResponse.noContent();
    }

    /** Checks now instead of at the next interval; the outcome shows in GET's {@code lastCheck} and {@code decisions}. */
    @Post(value = "/check", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> check(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        PipelinesController.checkName(name);
        String pipeline = Projects.qualify(caller.project(), name);
        running(pipeline).orElseThrow(() -> ApiException.notFound("pipeline '" + name + "' has no triggers"));
        client.newWorkflowStub(MonitorWorkflow.class, WorkflowIds.monitor(pipeline)).checkNow();
        return HttpResponse.accepted().body(Map.of("pipeline", name, "checking", true));
    }

    /** The monitor's state when it runs (and was not stopped). */
    private Optional<MonitorState> running(String pipeline) {
        if (!WorkflowStatus.running(client, WorkflowIds.monitor(pipeline))) {
            return Optional.empty();
        }
        try {
            MonitorState state = client.newUntypedWorkflowStub(WorkflowIds.monitor(pipeline)).query("state", MonitorState.class);
            return state == null || state.stopped() ? Optional.empty() : Optional.of(state);
        } catch (WorkflowNotFoundException e) {
            return Optional.empty();
        } catch (WorkflowQueryException e) {
            if (e.getCause() instanceof WorkflowNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Map<String, Object> view(String name, String pipeline, TriggerConfig config, MonitorState state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pipeline", name);
        out.put("spec", config.spec());
        put(out, "minNewLabels", config.minNewLabels());
        put(out, "maxDrift", config.maxDrift());
        put(out, "minLiveMetric", config.minLiveMetric());
        out.put("cooldown", config.cooldown() == null ? TriggerConfig.DEFAULT_COOLDOWN.toString() : config.cooldown());
        out.put("checkEvery", config.checkEvery() == null ? TriggerConfig.DEFAULT_CHECK_EVERY.toString() : config.checkEvery());
        out.put("minLabels", config.minLabelsOrDefault());
        out.put("window", config.window() == null ? TriggerConfig.DEFAULT_WINDOW.toString() : config.window());
        put(out, "autoRollback", config.autoRollback());
        if (state != null) {
            Map<String, Object> monitor = new LinkedHashMap<>();
            monitor.put("workflowId", WorkflowIds.monitor(pipeline));
            put(monitor, "lastCheckAt", state.lastCheckAtMillis() == null ? null : Instant.ofEpochMilli(state.lastCheckAtMillis()).toString());
            put(monitor, "lastCheck", state.lastCheck());
            put(monitor, "activeRunId", state.activeRunId());
            put(monitor, "lastTriggeredAt", state.lastTriggeredAtMillis() == null ? null
                    : Instant.ofEpochMilli(state.lastTriggeredAtMillis()).toString());
            monitor.put("runsStarted", state.runsStarted());
            put(monitor, "rolledBackFrom", state.rolledBackFrom());
            monitor.put("decisions", state.decisions());
            out.put("monitor", monitor);
        }
        return out;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    TriggerConfig parse(String name, String body) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw ApiException.badRequest("$", "malformed JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("body", "send a JSON object: {spec, minNewLabels?, maxDrift?, minLiveMetric?, cooldown?, "
                    + "checkEvery?, minLabels?, window?, autoRollback?: {minLabels?, margin?, floor?}}");
        }
        root.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest(f, "is not a trigger setting; they are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        });
        JsonNode specNode = root.path("spec");
        if (specNode.isMissingNode() || specNode.isNull()) {
            throw ApiException.badRequest("spec", "is required: the pipeline spec the triggered runs use (an object, or YAML text)");
        }
        PipelineSpec spec = SpecParser.parse(specNode.isTextual() ? specNode.asText() : specNode.toString());
        if (!name.equals(spec.name())) {
            throw ApiException.badRequest("spec.name", "is '" + spec.name() + "' but the triggers are for pipeline '" + name + "'");
        }
        TriggerConfig.AutoRollback rollback = null;
        JsonNode r = root.path("autoRollback");
        if (!r.isMissingNode() && !r.isNull()) {
            if (!r.isObject()) {
                throw ApiException.badRequest("autoRollback", "must be an object {minLabels?, margin?, floor?}");
            }
            r.fieldNames().forEachRemaining(f -> {
                if (!ROLLBACK_FIELDS.contains(f)) {
                    throw ApiException.badRequest("autoRollback." + f, "is not a setting; they are floor, margin, minLabels");
                }
            });
            rollback = new TriggerConfig.AutoRollback(integer(r, "minLabels", "autoRollback."), number(r, "margin", "autoRollback."),
                    number(r, "floor", "autoRollback."));
        }
        TriggerConfig config = new TriggerConfig(spec, integer(root, "minNewLabels", ""), number(root, "maxDrift", ""),
                number(root, "minLiveMetric", ""), text(root, "cooldown"), text(root, "checkEvery"), integer(root, "minLabels", ""),
                text(root, "window"), rollback);
        List<Violation> violations = config.violations();
        if (!violations.isEmpty()) {
            throw ApiException.badRequest(violations.get(0).path(), violations.get(0).message());
        }
        return config;
    }

    private static Integer integer(JsonNode node, String field, String prefix) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest(prefix + field, "must be a whole number");
        }
        return v.intValue();
    }

    private static Double number(JsonNode node, String field, String prefix) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw ApiException.badRequest(prefix + field, "must be a number");
        }
        return v.doubleValue();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field, "must be a duration like 30m, 24h or PT2H");
        }
        return v.asText();
    }

    private byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
