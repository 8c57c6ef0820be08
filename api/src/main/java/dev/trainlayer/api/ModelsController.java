package dev.trainlayer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.registry.RollbackRequest;
import dev.trainlayer.workflows.client.RegistryClient;
import dev.trainlayer.workflows.registry.RegistryCommand;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.workflows.artifact.Projects;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.Map;
import java.util.Optional;

/** Model versions and the champion alias, served by each model's registry workflow. */
@Controller("/api/v1/models")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ModelsController {
    private final WorkflowClient client;
    private final RunsController bodies;
    private final ObjectStore store;
    private final ObjectMapper json;
    private final RunService runs;

    /** Lazily: the predict route's registry cache, told when the champion moves (it depends on this controller). */
    private final io.micronaut.context.BeanProvider<ServingRegistry> servingRegistry;

    public ModelsController(WorkflowClient client, RunsController bodies, ObjectStore store, ObjectMapper json, RunService runs,
                            io.micronaut.context.BeanProvider<ServingRegistry> servingRegistry) {
        this.servingRegistry = servingRegistry;
        this.runs = runs;
        this.client = client;
        this.bodies = bodies;
        this.store = store;
        this.json = json;
    }

    @Get("/{model}")
    @Allowed(Role.VIEWER)
    public Map<String, Object> get(@PathVariable String model, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        RegistryState state = state(caller.project(), model);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("project", caller.project());
        out.put("champion", state.championVersion().orElse(null));
        out.put("versions", state.versions().stream().map(v -> Map.of(
                "version", v.version(), "runId", v.runId(), "type", v.type().wire(), "metrics", v.metrics(),
                "registeredAtMillis", v.registeredAtMillis())).toList());
        out.put("championHistory", state.championHistory());
        out.put("audit", state.audit());
        return out;
    }

    @Get("/{model}/versions/{version}")
    @Allowed(Role.VIEWER)
    public ModelVersion version(@PathVariable String model, @PathVariable int version, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return state(caller.project(), model).version(version)
                .orElseThrow(() -> ApiException.notFound("model '" + model + "' has no version " + version));
    }

    /**
     * The version's model card ({@code card.md}, written when it was registered): Markdown, or with
     * {@code Accept: text/html} the same rendered as an HTML fragment, any HTML inside the card escaped, or with
     * {@code Accept: application/json} the card as data ({@code card.json}; versions registered before it have none: 404).
     */
    @Get(value = "/{model}/versions/{version}/card", produces = {"text/markdown", MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    @Allowed(Role.VIEWER)
    public io.micronaut.http.HttpResponse<String> card(@PathVariable String model, @PathVariable int version,
                                                       @Nullable @io.micronaut.http.annotation.Header("Accept") String accept,
                                                       @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        ModelVersion v = version(model, version, caller);
        String prefix = v.artifacts() == null ? Keys.modelVersion(Projects.qualify(caller.project(), model), version) : v.artifacts().key();
        if (accept != null && accept.contains(MediaType.APPLICATION_JSON) && !accept.contains("text/markdown")
                && !accept.contains(MediaType.TEXT_HTML)) {
            try {
                return io.micronaut.http.HttpResponse.ok(new String(store.getBytes(store.bucket(), prefix + "card.json"),
                        java.nio.charset.StandardCharsets.UTF_8)).contentType(MediaType.APPLICATION_JSON_TYPE);
            } catch (dev.trainlayer.store.ObjectNotFoundException e) {
                throw ApiException.notFound("model '" + model + "' version " + version + " has no JSON model card (it was registered "
                        + "before cards had one); its Markdown card is served without Accept: application/json");
            }
        }
        String markdown;
        try {
            markdown = new String(store.getBytes(store.bucket(), prefix + "card.md"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (dev.trainlayer.store.ObjectNotFoundException e) {
            throw ApiException.notFound("model '" + model + "' version " + version + " has no model card in the store");
        }
        if (accept != null && accept.contains(MediaType.TEXT_HTML) && !accept.contains("text/markdown")) {
            return io.micronaut.http.HttpResponse.ok(ModelCards.html(markdown)).contentType(MediaType.TEXT_HTML_TYPE)
                    .header("Content-Security-Policy", "default-src 'none'; img-src https:; style-src 'unsafe-inline'; sandbox")
                    .header("X-Content-Type-Options", "nosniff");
        }
        return io.micronaut.http.HttpResponse.ok(markdown).contentType(MediaType.of("text/markdown; charset=utf-8"));
    }

    /**
     * Starts a run that rebuilds the version from its provenance alone (its run's spec, its dataset snapshot, the winning
     * trial's configuration and seed) and says whether the result is the version, bit for bit: the run's record carries
     * {@code reproduction: {ofVersion, identical, differences[]}} when it ends. Nothing is registered or promoted. 409 when
     * the store no longer has what it needs. An {@code Idempotency-Key} works as for {@code POST /api/v1/runs}.
     */
    @Post("/{model}/versions/{version}/reproduce")
    @Allowed(Role.TRAINER)
    public io.micronaut.http.HttpResponse<Map<String, Object>> reproduce(@PathVariable String model, @PathVariable int version,
                                                                        @Nullable @io.micronaut.http.annotation.Header("Idempotency-Key") String idempotencyKey,
                                                                        @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        RegistryState state = state(caller.project(), model);
        ModelVersion v = state.version(version).orElseThrow(() -> ApiException.notFound("model '" + model + "' has no version " + version));
        Reproductions.Plan plan = Reproductions.plan(store, json, model, state, v);
        RunService.Started started = runs.reproduce(plan.spec(), plan.request(), idempotencyKey, caller.project(), caller.name());
        RunRecord run = started.run();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", run.runId());
        body.put("workflowId", run.workflowId());
        body.put("pipeline", run.pipeline());
        body.put("status", "RUNNING");
        body.put("created", started.created());
        body.put("ofVersion", version);
        body.put("links", Map.of("self", "/api/v1/runs/" + run.runId(), "events", "/api/v1/runs/" + run.runId() + "/events"));
        return io.micronaut.http.HttpResponse.<Map<String, Object>>status(started.created()
                ? io.micronaut.http.HttpStatus.ACCEPTED : io.micronaut.http.HttpStatus.OK).body(body);
    }

    /**
     * What differs between two versions ({@link ModelDiff}): data and row counts, the resolved specs field by field,
     * parameters and seeds, metrics with deltas, environment and code version. {@code from} and {@code to} are version
     * numbers or {@code champion}.
     */
    @Get("/{model}/diff")
    @Allowed(Role.VIEWER)
    public Map<String, Object> diff(@PathVariable String model, @Nullable @io.micronaut.http.annotation.QueryValue String from,
                                    @Nullable @io.micronaut.http.annotation.QueryValue String to,
                                    @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        int a = versionParam("from", from);
        int b = versionParam("to", to);
        RegistryState state = state(caller.project(), model);
        return ModelDiff.of(model, caller.project(), side(state, model, "from", a), side(state, model, "to", b));
    }

    /** A version number, or 0 for {@code champion}; 400 naming the parameter otherwise. */
    private static int versionParam(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(name, "name a version number or 'champion', e.g. ?from=1&to=2");
        }
        if (value.equals("champion")) {
            return 0;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name, "'" + value + "' is not a version number (1, 2, ...) or 'champion'");
    }

    private ModelDiff.Side side(RegistryState state, String model, String param, int version) {
        ModelVersion v = version == 0
                ? state.championVersion().orElseThrow(() -> ApiException.notFound("model '" + model + "' has no champion (" + param + ")"))
                : state.version(version).orElseThrow(() -> ApiException.notFound("model '" + model + "' has no version " + version
                        + " (" + param + ")"));
        com.fasterxml.jackson.databind.JsonNode spec = null;
        if (v.lineage() != null && v.lineage().spec() != null) {
            try {
                spec = json.readTree(store.getBytes(v.lineage().spec().bucket(), v.lineage().spec().key()));
            } catch (dev.trainlayer.store.ObjectNotFoundException e) {
                spec = null;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the spec of " + model + " v" + v.version() + " is unreadable", e);
            }
        }
        Long rows = null;
        Long feedbackRows = null;
        try {
            dev.trainlayer.workflows.workflow.RunState report = json.readValue(store.getBytes(store.bucket(), Keys.report(v.runId())),
                    dev.trainlayer.workflows.workflow.RunState.class);
            rows = report.rows();
            feedbackRows = report.feedbackRows();
        } catch (dev.trainlayer.store.ObjectNotFoundException e) {
            // the run's report is gone: no row counts
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the report of run " + v.runId() + " is unreadable", e);
        }
        return new ModelDiff.Side(v, spec, rows, feedbackRows);
    }

    public record Promotion(Integer version, String reason) {}

    /**
     * Makes a registered version the champion (audited {@code PROMOTE} with the key's name and the reason); the
     * champion before it stays in the history for rollback. Promoting the champion again changes nothing.
     */
    @Post(value = "/{model}/promote", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.APPROVER)
    public RegistryState promote(@PathVariable String model, @Nullable @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Promotion request = bodies.parse(body, Promotion.class, new Promotion(null, null));
        if (request.version() == null) {
            throw ApiException.badRequest("version", "name the version to promote");
        }
        String registry = Projects.qualify(caller.project(), model);
        state(caller.project(), model).version(request.version())
                .orElseThrow(() -> ApiException.notFound("model '" + model + "' has no version " + request.version()));
        send(registry, RegistryCommand.promote("promote:" + UUID.randomUUID(),
                new dev.trainlayer.workflows.registry.PromoteRequest(registry, request.version(), caller.name(),
                        request.reason() == null || request.reason().isBlank() ? "promoted through the API" : request.reason())));
        return state(caller.project(), model);
    }

    /** {@code actor} is accepted for older scripts and ignored: the key's name is who rolled back. */
    public record Rollback(Integer toVersion, String actor, String reason) {}

    /** Moves the champion to the previous one, or to {@code toVersion}. */
    @Post(value = "/{model}/rollback", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.APPROVER)
    public RegistryState rollback(@PathVariable String model, @Nullable @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Rollback request = bodies.parse(body, Rollback.class, new Rollback(null, null, null));
        String registry = Projects.qualify(caller.project(), model);
        state(caller.project(), model);
        send(registry, RegistryCommand.rollback("rollback:" + UUID.randomUUID(),
                new RollbackRequest(registry, request.toVersion(), caller.name(), request.reason())));
        return state(caller.project(), model);
    }

    /** Sends a command to the model's registry; a refusal is 404 for an unknown version, 409 otherwise. */
    private void send(String registry, RegistryCommand command) {
        try {
            RegistryClient.send(client, registry, command, Duration.ofSeconds(30), () -> { });
            servingRegistry.get().forget(registry);
        } catch (RegistryClient.RefusedException e) {
            if (FailureTypes.MODEL_VERSION_NOT_FOUND.equals(e.type())) {
                throw ApiException.notFound(e.getMessage());
            }
            throw ApiException.conflict(e.getMessage());
        }
    }

    /** The model's registry in the caller's project: another project's model of the same name is not found. */
    RegistryState state(String project, String model) {
        if (!model.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw ApiException.notFound("no model named '" + model + "'");
        }
        String registry = Projects.qualify(project, model);
        Optional<RegistryState> live;
        try {
            live = RegistryClient.state(client, registry);
        } catch (io.temporal.client.WorkflowQueryException e) {
            live = Optional.empty();
        }
        // No live registry (closed, or unknown to this Temporal: an in-memory server restarted, a namespace wiped or
        // moved): the store's mirror is the record, and the registry rebuilds itself from it on its next command.
        return live.or(() -> mirror(registry)).orElseThrow(() -> ApiException.notFound("no model named '" + model + "'"));
    }

    private java.util.Optional<RegistryState> mirror(String model) {
        try {
            return java.util.Optional.of(json.readValue(store.getBytes(store.bucket(), Keys.registry(model)), RegistryState.class));
        } catch (dev.trainlayer.store.ObjectNotFoundException e) {
            return java.util.Optional.empty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the registry mirror of " + model + " is unreadable", e);
        }
    }
}
