package dev.trainlayer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
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
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.util.Map;

/**
 * Scheduled retrains of a pipeline: {@code PUT} creates or replaces the schedule, {@code GET} shows it with
 * its next and recent runs, {@code DELETE} removes it; pause, resume and trigger-now are their own calls.
 * Scheduled runs are ordinary runs: {@code GET /api/v1/runs?pipeline=…} lists them.
 */
@Controller("/api/v1/pipelines/{name}/schedule")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ScheduleController {
    private final ScheduleService schedules;
    private final ObjectMapper json;

    public ScheduleController(ScheduleService schedules, ObjectMapper json) {
        this.schedules = schedules;
        this.json = json;
    }

    @Put(consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> put(@PathVariable String name, @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        checkName(name);
        boolean created = schedules.put(caller.project(), name, read(body), caller.name());
        return HttpResponse.<Map<String, Object>>status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(schedules.get(caller.project(), name));
    }

    @Get
    @Allowed(Role.VIEWER)
    public Map<String, Object> get(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        checkName(name);
        return schedules.get(caller.project(), name);
    }

    @Delete
    @Allowed(Role.TRAINER)
    public HttpResponse<Void> delete(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        checkName(name);
        schedules.delete(caller.project(), name);
        return HttpResponse.noContent();
    }

    @Post(value = "/pause", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.TRAINER)
    public Map<String, Object> pause(@PathVariable String name, @Nullable @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        checkName(name);
        schedules.pause(caller.project(), name, true, note(body), caller.name());
        return schedules.get(caller.project(), name);
    }

    @Post(value = "/resume", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.TRAINER)
    public Map<String, Object> resume(@PathVariable String name, @Nullable @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        checkName(name);
        schedules.pause(caller.project(), name, false, note(body), caller.name());
        return schedules.get(caller.project(), name);
    }

    @Post(value = "/trigger", consumes = MediaType.APPLICATION_JSON)
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> trigger(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        checkName(name);
        schedules.trigger(caller.project(), name);
        return HttpResponse.accepted().body(Map.of("pipeline", name, "triggered", true));
    }

    private JsonNode read(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("body", "is not JSON: " + e.getMessage());
        }
    }

    private String note(String body) {
        JsonNode node = read(body);
        return node == null || !node.path("note").isTextual() ? null : node.path("note").asText();
    }

    private static void checkName(String name) {
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw ApiException.badRequest("name", "'" + name + "' is not a pipeline name");
        }
    }
}
