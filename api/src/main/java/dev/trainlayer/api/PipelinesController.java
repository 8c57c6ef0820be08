package dev.trainlayer.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.workflows.artifact.Projects;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A pipeline's experiment history across runs: every trial, and the best configuration found so far. */
@Controller("/api/v1/pipelines")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PipelinesController {
    private final LedgerService ledgers;

    public PipelinesController(LedgerService ledgers) {
        this.ledgers = ledgers;
    }

    /** Every trial of every run of the pipeline; {@code sort=objective} puts the best completed ones first. */
    @Get("/{name}/trials")
    @Allowed(Role.VIEWER)
    public Map<String, Object> trials(@PathVariable String name, @Nullable @QueryValue String sort, @Nullable @QueryValue Integer limit,
                                      @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        checkName(name);
        String pipeline = Projects.qualify(caller.project(), name);
        int n = limit == null ? 500 : limit;
        if (n < 1 || n > 10_000) {
            throw ApiException.badRequest("limit", "must be between 1 and 10000");
        }
        List<LedgerService.Entry> trials;
        if (sort == null || "run".equals(sort)) {
            trials = ledgers.trials(pipeline);
        } else if ("objective".equals(sort)) {
            trials = ledgers.ranked(pipeline);
        } else {
            throw ApiException.badRequest("sort", "'" + sort + "' is not one of run, objective");
        }
        return Map.of("pipeline", name, "trials", trials.stream().limit(n).toList());
    }

    /** The best completed trial across the pipeline's runs: its parameters and where they came from. */
    @Get("/{name}/best")
    @Allowed(Role.VIEWER)
    public Map<String, Object> best(@PathVariable String name, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        checkName(name);
        LedgerService.Entry best = ledgers.ranked(Projects.qualify(caller.project(), name)).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("pipeline '" + name + "' has no completed trials"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pipeline", name);
        out.put("metric", best.metric());
        out.put("objective", best.objective());
        out.put("candidate", best.candidate());
        out.put("type", best.type());
        out.put("params", best.params());
        out.put("source", Map.of("runId", best.runId(), "trialId", best.trialId(), "datasetSha256",
                best.datasetSha256() == null ? "" : best.datasetSha256()));
        return out;
    }

    /** A pipeline name in a path: 400 naming the field otherwise (shared by the pipeline routes). */
    static void checkName(String name) {
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw ApiException.badRequest("name", "'" + name + "' is not a pipeline name");
        }
    }
}
