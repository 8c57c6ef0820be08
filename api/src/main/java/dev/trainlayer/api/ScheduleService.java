package dev.trainlayer.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.spec.Durations;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.workflow.RetrainInput;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleException;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pipeline's retrain schedule, backed by a Temporal Schedule ({@code schedule/{pipeline}}): Temporal
 * starts each run (workflow id {@code retrain/{pipeline}/scheduled-<time>}), applies the overlap and
 * catch-up policies, and shows the schedule in its web UI and CLI. The embedded Java test server has no
 * Schedules: there the API answers 501 and says what to run instead.
 */
@Singleton
public class ScheduleService {
    private final ScheduleClient schedules;
    private final String visibility;
    private final DataAccessGuard access;

    public ScheduleService(WorkflowServiceStubs stubs, io.temporal.client.WorkflowClient client, DataAccessGuard access,
                           @Value("${trainlayer.temporal.namespace:default}") String namespace,
                           @Value("${trainlayer.temporal.visibility:query}") String visibility) {
        // The client's data converter: a schedule's spec is encrypted like every other payload when keys are set.
        this.schedules = ScheduleClient.newInstance(stubs, io.temporal.client.schedules.ScheduleClientOptions.newBuilder()
                .setNamespace(namespace).setDataConverter(client.getOptions().getDataConverter()).build());
        this.visibility = visibility;
        this.access = access;
    }

    /** What a PUT asks for, checked; field names are the request's. */
    record Request(PipelineSpec spec, String cron, Duration interval, boolean paused, boolean triggerNow,
                   ScheduleOverlapPolicy overlap, Duration catchupWindow, String note) {}

    static Request parse(String pipeline, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "send a JSON object: {spec, cron | interval, paused, triggerNow, overlap, catchupWindow}");
        }
        JsonNode specNode = body.path("spec");
        if (specNode.isMissingNode() || specNode.isNull()) {
            throw ApiException.badRequest("spec", "is required: the pipeline spec each scheduled run uses (an object, or YAML text)");
        }
        PipelineSpec spec = SpecParser.parse(specNode.isTextual() ? specNode.asText() : specNode.toString());
        if (!pipeline.equals(spec.name())) {
            throw ApiException.badRequest("spec.name", "is '" + spec.name() + "' but the schedule is for pipeline '" + pipeline + "'");
        }
        String cron = text(body, "cron");
        String intervalText = text(body, "interval");
        if ((cron == null) == (intervalText == null)) {
            throw ApiException.badRequest("cron", "give exactly one of cron (e.g. \"0 2 * * *\", UTC) or interval (e.g. \"24h\")");
        }
        if (cron != null && cron.trim().split("\\s+").length != 5 && !cron.trim().startsWith("@")) {
            throw ApiException.badRequest("cron", "'" + cron + "' is not a 5-field cron expression (minute hour day month weekday)");
        }
        Duration interval = intervalText == null ? null : duration("interval", intervalText);
        if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw ApiException.badRequest("interval", "must be at least 1s");
        }
        ScheduleOverlapPolicy overlap = overlap(text(body, "overlap"));
        String catchupText = text(body, "catchupWindow");
        Duration catchup = catchupText == null ? Duration.ofHours(1) : duration("catchupWindow", catchupText);
        if (catchup.compareTo(Duration.ofSeconds(10)) < 0) {
            throw ApiException.badRequest("catchupWindow", "must be at least 10s (Temporal's minimum)");
        }
        return new Request(spec, cron, interval, bool(body, "paused"), bool(body, "triggerNow"), overlap, catchup,
                text(body, "note"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ApiException.badRequest(field, "must be a non-empty string");
        }
        return n.asText();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest(field, "must be true or false");
        }
        return n.asBoolean();
    }

    private static Duration duration(String field, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, e.getMessage());
        }
    }

    static ScheduleOverlapPolicy overlap(String value) {
        if (value == null) {
            return ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP;
        }
        return switch (value.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "skip" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP;
            case "buffer_one" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE;
            case "buffer_all" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL;
            case "cancel_other" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER;
            case "terminate_other" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER;
            case "allow_all" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL;
            default -> throw ApiException.badRequest("overlap", "'" + value
                    + "' is not one of skip (default), buffer_one, buffer_all, cancel_other, terminate_other, allow_all");
        };
    }

    static String overlapName(ScheduleOverlapPolicy p) {
        return p.name().replace("SCHEDULE_OVERLAP_POLICY_", "").toLowerCase(Locale.ROOT);
    }

    /** Creates the schedule or replaces its definition; returns whether it was created. */
    public boolean put(String project, String pipeline, JsonNode body, String requestedBy) {
        requireSchedules();
        Request r = parse(pipeline, body);
        access.check(project, r.spec());
        Schedule schedule = schedule(project, pipeline, r, requestedBy);
        String id = WorkflowIds.schedule(Projects.qualify(project, pipeline));
        boolean created;
        try {
            schedules.createSchedule(id, schedule, ScheduleOptions.newBuilder().setTriggerImmediately(r.triggerNow()).build());
            created = true;
        } catch (ScheduleAlreadyRunningException e) {
            ScheduleHandle handle = schedules.getHandle(id);
            handle.update(input -> new ScheduleUpdate(schedule));
            if (r.triggerNow()) {
                handle.trigger();
            }
            created = false;
        } catch (ScheduleException e) {
            throw translate(e, "cron");
        }
        return created;
    }

    private static Schedule schedule(String project, String pipeline, Request r, String requestedBy) {
        PipelineSpec spec = r.spec();
        WorkflowOptions options = WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.scheduled(Projects.qualify(project, pipeline)))
                .setTaskQueue(TaskQueues.CONTROL)
                .setTypedSearchAttributes(SearchAttributes.starting(project, spec.name(), spec.modelName()))
                .build();
        ScheduleSpec.Builder when = ScheduleSpec.newBuilder();
        if (r.cron() != null) {
            when.setCronExpressions(List.of(r.cron()));
        } else {
            when.setIntervals(List.of(new ScheduleIntervalSpec(r.interval())));
        }
        return Schedule.newBuilder()
                .setAction(ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(RetrainWorkflow.class)
                        // No run id: each scheduled run takes its own from the workflow id Temporal gives it.
                        .setArguments(new RetrainInput(null, spec, requestedBy == null ? "schedule" : "schedule (" + requestedBy + ")", project))
                        .setOptions(options)
                        .build())
                .setSpec(when.build())
                .setPolicy(SchedulePolicy.newBuilder().setOverlap(r.overlap()).setCatchupWindow(r.catchupWindow()).build())
                .setState(ScheduleState.newBuilder().setPaused(r.paused())
                        .setNote(r.note() == null ? (r.paused() ? "created paused" : "") : r.note()).build())
                .build();
    }

    /** The schedule as the API shows it: its definition, its state, its next and recent runs. */
    public Map<String, Object> get(String project, String pipeline) {
        requireSchedules();
        ScheduleDescription d = describe(project, pipeline);
        Schedule s = d.getSchedule();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pipeline", pipeline);
        out.put("scheduleId", d.getId());
        ScheduleSpec spec = s.getSpec();
        if (spec.getCronExpressions() != null && !spec.getCronExpressions().isEmpty()) {
            out.put("cron", spec.getCronExpressions().get(0));
        }
        if (spec.getIntervals() != null && !spec.getIntervals().isEmpty()) {
            out.put("interval", spec.getIntervals().get(0).getEvery().toString());
        }
        out.put("paused", s.getState().isPaused());
        out.put("note", s.getState().getNote());
        out.put("overlap", overlapName(s.getPolicy().getOverlap()));
        out.put("catchupWindow", s.getPolicy().getCatchupWindow() == null ? null : s.getPolicy().getCatchupWindow().toString());
        out.put("nextRuns", d.getInfo().getNextActionTimes().stream().limit(5).map(Object::toString).toList());
        out.put("runsStarted", d.getInfo().getNumActions());
        out.put("skippedOverlap", d.getInfo().getNumActionsSkippedOverlap());
        out.put("missedCatchupWindow", d.getInfo().getNumActionsMissedCatchupWindow());
        out.put("recentRuns", d.getInfo().getRecentActions().stream().map(ScheduleService::recent).toList());
        if (s.getAction() instanceof ScheduleActionStartWorkflow start) {
            RetrainInput input = start.getArguments().get(0, RetrainInput.class);
            out.put("spec", input.spec());
        }
        return out;
    }

    private static Map<String, Object> recent(ScheduleActionResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scheduledAt", r.getScheduledAt().toString());
        out.put("startedAt", r.getStartedAt().toString());
        if (r.getAction() instanceof ScheduleActionExecutionStartWorkflow w) {
            out.put("workflowId", w.getWorkflowId());
            out.put("runId", WorkflowIds.scheduledRunId(w.getWorkflowId()));
        }
        return out;
    }

    public void delete(String project, String pipeline) {
        requireSchedules();
        describe(project, pipeline);
        schedules.getHandle(WorkflowIds.schedule(Projects.qualify(project, pipeline))).delete();
    }

    public void pause(String project, String pipeline, boolean pause, String note, String actor) {
        requireSchedules();
        describe(project, pipeline);
        ScheduleHandle handle = schedules.getHandle(WorkflowIds.schedule(Projects.qualify(project, pipeline)));
        String why = (note == null || note.isBlank() ? (pause ? "paused through the API" : "resumed through the API") : note)
                + " (by " + actor + ")";
        if (pause) {
            handle.pause(why);
        } else {
            handle.unpause(why);
        }
    }

    public void trigger(String project, String pipeline) {
        requireSchedules();
        describe(project, pipeline);
        schedules.getHandle(WorkflowIds.schedule(Projects.qualify(project, pipeline))).trigger();
    }

    private ScheduleDescription describe(String project, String pipeline) {
        try {
            return schedules.getHandle(WorkflowIds.schedule(Projects.qualify(project, pipeline))).describe();
        } catch (ScheduleException e) {
            throw translate(e, "name");
        } catch (StatusRuntimeException e) {
            throw translate(e, "name");
        }
    }

    private ApiException translate(RuntimeException e, String field) {
        Throwable t = e;
        while (t != null && !(t instanceof StatusRuntimeException)) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException s) {
            if (s.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return ApiException.notFound("this pipeline has no schedule");
            }
            if (s.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                return ApiException.badRequest(field, "Temporal refused the schedule: " + s.getStatus().getDescription());
            }
        }
        throw e;
    }

    private void requireSchedules() {
        if (!"query".equals(visibility)) {
            throw new ApiException(HttpStatus.NOT_IMPLEMENTED, "schedules-unavailable",
                    "schedules need a real Temporal server (the in-memory test server has none): run `./trainlayer dev` without --ephemeral"
                            + " or point trainlayer.temporal.target at your cluster");
        }
    }
}
