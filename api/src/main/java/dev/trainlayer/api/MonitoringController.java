package dev.trainlayer.api;

import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.scoring.Monitoring;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.spec.Durations;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/models/{model}/monitoring}: the champion's (or {@code ?version=N}'s) live metric on labelled
 * feedback it was not trained on, and drift of the window's predictions and feedback against its training data, per
 * column ({@link Monitoring}: the same code the pipeline monitor's checks run).
 */
@Controller("/api/v1/models")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MonitoringController {
    private static final int REFERENCES = 4;

    private final ModelsController models;
    private final Scorers scorers;
    private final ObjectStore store;
    /** Training-data samples by dataset key: read once per champion, not per request. */
    private final Map<String, Optional<Table>> references = new LinkedHashMap<>(8, 0.75f, true);

    public MonitoringController(ModelsController models, Scorers scorers, ObjectStore store) {
        this.models = models;
        this.scorers = scorers;
        this.store = store;
    }

    @Get("/{model}/monitoring")
    @Allowed(Role.VIEWER)
    public Monitoring.Report monitoring(@PathVariable String model, @Nullable @QueryValue Integer version,
                                        @Nullable @QueryValue String window, @Nullable @QueryValue Double maxDrift,
                                        @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Duration span;
        try {
            span = window == null ? Duration.ofDays(7) : Durations.parse(window);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("window", e.getMessage());
        }
        if (span.isNegative() || span.isZero() || span.compareTo(Duration.ofDays(366)) > 0) {
            throw ApiException.badRequest("window", "must be between 1ms and 366d, e.g. 24h or 7d");
        }
        if (maxDrift != null && !(maxDrift > 0 && maxDrift < 100)) {
            throw ApiException.badRequest("maxDrift", "must be a PSI above 0, e.g. 0.2");
        }
        RegistryState state = models.state(caller.project(), model);
        ModelVersion chosen;
        if (version != null) {
            chosen = state.version(version).orElseThrow(() -> ApiException.notFound("model '" + model + "' has no version " + version));
        } else {
            chosen = state.championVersion().orElseThrow(() -> ApiException.conflict("model '" + model
                    + "' has no champion yet: pass ?version=N to monitor a registered version"));
        }
        String registry = Projects.qualify(caller.project(), model);
        Table reference = reference(chosen);
        long to = System.currentTimeMillis();
        long from = to - span.toMillis();
        double threshold = maxDrift == null ? Monitoring.DEFAULT_DRIFT_PSI : maxDrift;
        return scorers.with(registry, chosen, scorer -> Monitoring.report(store, registry, chosen, scorer, reference, from, to, threshold));
    }

    private Table reference(ModelVersion version) {
        Optional<String> key = Monitoring.referenceKey(version);
        if (key.isEmpty()) {
            return null;
        }
        synchronized (references) {
            Optional<Table> cached = references.get(key.get());
            if (cached != null) {
                return cached.orElse(null);
            }
        }
        Optional<Table> loaded = Monitoring.reference(store, version);
        synchronized (references) {
            references.put(key.get(), loaded);
            while (references.size() > REFERENCES) {
                references.remove(references.keySet().iterator().next());
            }
        }
        return loaded.orElse(null);
    }
}
