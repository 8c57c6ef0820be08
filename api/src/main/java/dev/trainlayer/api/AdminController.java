package dev.trainlayer.api;

import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;

/** Upkeep of a project's store: retention ({@link GarbageCollector}). */
@Controller("/api/v1/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminController {
    private final GarbageCollector collector;

    public AdminController(GarbageCollector collector) {
        this.collector = collector;
    }

    /**
     * Deletes what no kept version needs (see {@link GarbageCollector}) and says what and how many bytes. {@code dryRun}
     * defaults to true: say what would go, delete nothing; {@code dryRun=false} deletes.
     */
    @Post("/gc")
    @Allowed(Role.ADMIN)
    public Map<String, Object> gc(@Nullable @QueryValue String dryRun, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        boolean dry;
        if (dryRun == null || dryRun.isBlank() || dryRun.equalsIgnoreCase("true")) {
            dry = true;
        } else if (dryRun.equalsIgnoreCase("false")) {
            dry = false;
        } else {
            throw ApiException.badRequest("dryRun", "must be true or false, got '" + dryRun + "'");
        }
        return collector.collect(caller.project(), dry);
    }
}
