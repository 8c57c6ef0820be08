package dev.trainlayer.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.workflow.ApprovalDecision;
import dev.trainlayer.workflows.workflow.TrialSummary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Retrain runs: start one from a spec, inspect, list, approve, cancel. */
@Controller("/api/v1/runs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RunsController {
    private final RunService runs;
    private final ObjectMapper strict;

    public RunsController(RunService runs, ObjectMapper json) {
        this.runs = runs;
        this.strict = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    }

    /**
     * Starts a retrain run. The body is a pipeline spec in JSON or YAML. With an {@code Idempotency-Key}
     * header, repeating the request returns the run it started the first time (200) instead of a new one.
     */
    @Post(consumes = {MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> start(@Body String spec,
                                                   @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                                   @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        RunService.Started started = runs.start(spec, idempotencyKey, caller.project(), caller.name());
        RunRecord run = started.run();
        Map<String, Object> body = Map.of(
                "runId", run.runId(),
                "workflowId", run.workflowId(),
                "pipeline", run.pipeline(),
                "status", "RUNNING",
                "created", started.created(),
                "links", Map.of("self", "/api/v1/runs/" + run.runId(), "trials", "/api/v1/runs/" + run.runId() + "/trials"));
        return HttpResponse.<Map<String, Object>>status(started.created() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(body);
    }

    /** Runs side by side: status, metrics, the winning trial's parameters, data and spec versions. */
    @Get("/compare")
    @Allowed(Role.VIEWER)
    public Map<String, Object> compare(@QueryValue String ids, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        List<String> runIds = java.util.Arrays.stream(ids.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (runIds.size() < 2 || runIds.size() > 20) {
            throw ApiException.badRequest("ids", "give 2 to 20 comma-separated run ids");
        }
        List<Map<String, Object>> columns = new java.util.ArrayList<>();
        for (String id : runIds) {
            RunView run = runs.view(runs.require(caller.project(), id), true);
            Map<String, Object> column = new java.util.LinkedHashMap<>();
            column.put("runId", run.runId());
            column.put("status", run.status());
            column.put("metric", run.metric());
            column.put("metrics", run.metrics());
            column.put("bestTrial", run.bestTrial());
            column.put("bestParams", run.trials() == null ? null : run.trials().stream()
                    .filter(t -> t.trialId().equals(run.bestTrial())).map(TrialSummary::params).findFirst().orElse(null));
            column.put("trials", run.trials() == null ? 0 : run.trials().size());
            column.put("modelVersion", run.modelVersion());
            column.put("datasetSha256", run.datasetSha256());
            column.put("createdAt", run.createdAt());
            columns.add(column);
        }
        return Map.of("runs", columns);
    }

    @Get("/{runId}")
    @Allowed(Role.VIEWER)
    public RunView get(@PathVariable String runId, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return runs.view(runs.require(caller.project(), runId), true);
    }

    static final java.util.Set<String> STATUSES = java.util.Set.of("RUNNING", "SUCCEEDED", "REJECTED", "FAILED", "CANCELLED", "LOST");

    /** Runs newest first, optionally of one pipeline, in one status, started one way ({@code api} or {@code schedule}). */
    @Get
    @Allowed(Role.VIEWER)
    public Map<String, Object> list(@Nullable @QueryValue String pipeline, @Nullable @QueryValue String status,
                                    @Nullable @QueryValue String trigger, @Nullable @QueryValue Integer limit,
                                    @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        if (pipeline != null && !pipeline.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw ApiException.badRequest("pipeline", "'" + pipeline + "' is not a pipeline name");
        }
        String wanted = status == null ? null : status.toUpperCase(java.util.Locale.ROOT);
        if (wanted != null && !STATUSES.contains(wanted)) {
            throw ApiException.badRequest("status", "'" + status + "' is not one of " + new java.util.TreeSet<>(STATUSES));
        }
        if (trigger != null && !trigger.equals("api") && !trigger.equals("schedule") && !trigger.equals("monitor")) {
            throw ApiException.badRequest("trigger", "'" + trigger + "' is not one of api, schedule, monitor");
        }
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 500) {
            throw ApiException.badRequest("limit", "must be between 1 and 500");
        }
        return Map.of("runs", runs.list(caller.project(), pipeline, wanted, trigger, n));
    }

    /** The run's trials; {@code sort=objective} puts the best completed first, then pruned, then failed. */
    @Get("/{runId}/trials")
    @Allowed(Role.VIEWER)
    public Map<String, Object> trials(@PathVariable String runId, @Nullable @QueryValue String sort, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        RunView view = runs.view(runs.require(caller.project(), runId), true);
        List<TrialSummary> trials = view.trials() == null ? List.of() : view.trials();
        if ("objective".equals(sort) && view.metric() != null) {
            boolean higher = Metric.parse(view.metric()).higherIsBetter();
            // Completed trials first, then pruned ones (their value is where they stopped), then the rest.
            Comparator<TrialSummary> byObjective = Comparator.<TrialSummary>comparingInt(t -> switch (String.valueOf(t.status())) {
                        case "COMPLETED" -> 0;
                        case "PRUNED" -> 1;
                        default -> 2;
                    })
                    .thenComparing(TrialSummary::objective,
                            Comparator.nullsLast(higher ? Comparator.<Double>reverseOrder() : Comparator.<Double>naturalOrder()));
            trials = trials.stream().sorted(byObjective).toList();
        } else if (sort != null && !"id".equals(sort)) {
            throw ApiException.badRequest("sort", "'" + sort + "' is not one of id, objective");
        }
        return Map.of("runId", runId, "metric", view.metric() == null ? "" : view.metric(), "bestTrial",
                view.bestTrial() == null ? "" : view.bestTrial(), "trials", trials);
    }

    /**
     * Every trial's learning curve — each epoch's (or boosting round's) training loss, validation loss and
     * validation metric — from the trials' own records, as far as each has trained: what the dashboard plots.
     * With k-fold, a trial's curve is its first fold's.
     */
    @Get("/{runId}/curves")
    @Allowed(Role.VIEWER)
    public Map<String, Object> curves(@PathVariable String runId, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        RunView view = runs.view(runs.require(caller.project(), runId), true);
        Map<String, Object> curves = new java.util.LinkedHashMap<>();
        for (TrialSummary trial : view.trials() == null ? List.<TrialSummary>of() : view.trials()) {
            runs.live(runId, trial.trialId()).or(() -> runs.live(runId, trial.trialId() + "/fold-0")).ifPresent(live -> {
                Map<String, Object> curve = new java.util.LinkedHashMap<>();
                curve.put("status", trial.status());
                curve.put("done", live.done());
                curve.put("bestEpoch", live.bestEpoch());
                curve.put("epochs", live.curve().stream().map(p -> p.epoch()).toList());
                curve.put("trainLoss", live.curve().stream().map(p -> finite(p.trainLoss())).toList());
                curve.put("validationLoss", live.curve().stream().map(p -> finite(p.validationLoss())).toList());
                curve.put("validationMetric", live.curve().stream().map(p -> finite(p.validationMetric())).toList());
                curves.put(trial.trialId(), curve);
            });
        }
        return Map.of("runId", runId, "metric", view.metric() == null ? "" : view.metric(), "curves", curves);
    }

    /** JSON has no NaN: a point a trainer could not compute is null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** {@code actor} is accepted for older scripts and ignored: the key's name is who decided. */
    public record Approval(Boolean approved, String actor, String comment) {}

    /** Approves (or, with {@code approved: false}, rejects) a challenger waiting for approval. */
    @Post(value = "/{runId}/approve", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.APPROVER)
    public HttpResponse<Map<String, Object>> approve(@PathVariable String runId, @Nullable @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Approval approval = parse(body, Approval.class, new Approval(true, null, null));
        RunRecord run = runs.require(caller.project(), runId);
        boolean approved = approval.approved() == null || approval.approved();
        runs.decide(run, new ApprovalDecision(approved, caller.name(), approval.comment()));
        return HttpResponse.accepted().body(Map.of("runId", runId, "approved", approved));
    }

    public record ResetRequest(String to, String reason) {}

    /**
     * Resets a run to a point in its history and lets it continue — after fixing what made it fail (a
     * restored object, a redeployed worker). By default it keeps everything up to the end of training.
     */
    @Post(value = "/{runId}/reset", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> reset(@PathVariable String runId, @Nullable @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        ResetRequest request = parse(body, ResetRequest.class, new ResetRequest(null, null));
        String reason = (request.reason() == null || request.reason().isBlank() ? "reset through the trainlayer API" : request.reason())
                + " (by " + caller.name() + ")";
        RunService.Reset reset = runs.reset(runs.require(caller.project(), runId), request.to(), reason);
        return HttpResponse.accepted().body(Map.of("runId", runId, "workflowId", reset.workflowId(), "resetTo", reset.point(),
                "eventId", reset.eventId(), "replacedExecution", reset.replacedExecution(), "execution", reset.newExecution(),
                "status", "RUNNING"));
    }

    @Post("/{runId}/cancel")
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> cancel(@PathVariable String runId, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        runs.cancel(runs.require(caller.project(), runId));
        return HttpResponse.accepted().body(Map.of("runId", runId, "status", "CANCELLING"));
    }

    <T> T parse(String body, Class<T> type, T empty) {
        if (body == null || body.isBlank()) {
            return empty;
        }
        try {
            T parsed = strict.readValue(body, type);
            return parsed == null ? empty : parsed;   // a JSON null body is no body
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw ApiException.badRequest(e.getPropertyName(), "unknown field");
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String field = e.getPath().isEmpty() ? "$" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw ApiException.badRequest(field, "has the wrong type");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("$", "malformed JSON: " + e.getOriginalMessage());
        }
    }
}
