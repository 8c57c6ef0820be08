package dev.trainlayer.activities.registry;

import dev.trainlayer.activities.Liveness;
import dev.trainlayer.activities.Json;
import dev.trainlayer.activities.data.ColumnProfile;
import dev.trainlayer.activities.evaluation.ModelEvidence;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.RegistryActivities;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.registry.ChampionInfo;
import dev.trainlayer.workflows.registry.ChampionQuery;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.PromoteRequest;
import dev.trainlayer.workflows.registry.PublishInput;
import dev.trainlayer.workflows.registry.PublishResult;
import dev.trainlayer.workflows.registry.RegisterRequest;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Heartbeats;
import dev.trainlayer.workflows.client.RegistryClient;
import dev.trainlayer.workflows.registry.CommandOutcome;
import dev.trainlayer.workflows.registry.RegistryCommand;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowQueryException;
import java.time.Duration;
import java.util.UUID;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry's side effects: reaching a model's registry workflow from a retrain run, and writing
 * registered versions and the registry mirror ({@code models/{model}/...}) to the store, where serving
 * systems and people read them without Temporal.
 */
public class RegistryActivitiesImpl implements RegistryActivities {
    private final ObjectStore store;
    private final WorkflowClient client;

    public RegistryActivitiesImpl(ObjectStore store, WorkflowClient client) {
        this.store = store;
        this.client = client;
    }

    /** How long a run waits for its model's registry to apply a command before the activity retries. */
    private static final Duration REGISTRY_WAIT = Duration.ofMinutes(2);

    @Override
    public ChampionInfo champion(ChampionQuery query) {
        try (Liveness alive = Liveness.start()) {
            return championBody(query);
        }
    }

    private ChampionInfo championBody(ChampionQuery query) {
        return new ChampionInfo(query.model(), current(query.model()).championVersion().orElse(null));
    }

    /**
     * The registry's state from its workflow, or — when that workflow is closed (terminated, timed out) and
     * cannot answer — from its store mirror, which is what the workflow recovers from when it restarts.
     */
    private RegistryState current(String model) {
        try {
            return RegistryClient.state(client, model).orElseGet(() -> loadBody(model));
        } catch (WorkflowQueryException e) {
            return loadBody(model);
        }
    }

    @Override
    public ModelVersion register(RegisterRequest request) {
        try (Liveness alive = Liveness.start()) {
            return registerBody(request);
        }
    }

    private ModelVersion registerBody(RegisterRequest request) {
        CommandOutcome outcome = send(request.model(), RegistryCommand.register(request));
        return current(request.model()).version(outcome.version())
                .orElseThrow(() -> new IllegalStateException("version " + outcome.version() + " of " + request.model()
                        + " is not visible yet"));
    }

    @Override
    public RegistryState promote(PromoteRequest request) {
        try (Liveness alive = Liveness.start()) {
            return promoteBody(request);
        }
    }

    private RegistryState promoteBody(PromoteRequest request) {
        // The request id is stable across retries of this activity, so a retried promotion applies once.
        String requestId = Heartbeats.context()
                .map(c -> "promote:" + c.getInfo().getWorkflowId() + ":" + c.getInfo().getActivityId())
                .orElseGet(() -> "promote:" + UUID.randomUUID());
        send(request.model(), RegistryCommand.promote(requestId, request));
        return current(request.model());
    }

    private CommandOutcome send(String model, RegistryCommand command) {
        try {
            return RegistryClient.send(client, model, command, REGISTRY_WAIT, () -> Heartbeats.beat(command.requestId()));
        } catch (RegistryClient.RefusedException e) {
            throw Failures.nonRetryable(e.type(), e.getMessage());
        }
    }

    @Override
    public PublishResult publish(PublishInput input) {
        try (Liveness alive = Liveness.start()) {
            return publishBody(input);
        }
    }

    private PublishResult publishBody(PublishInput input) {
        RegisterRequest request = input.request();
        String prefix = Keys.modelVersion(request.model(), input.version());
        copyAll(request.trialModel(), prefix);
        ArtifactRef optimized = null;
        if (request.optimization() != null && request.optimization().artifacts() != null) {
            // Kept beside the original whether or not it passed: what was measured stays inspectable.
            ArtifactRef from = request.optimization().artifacts();
            copyAll(from, prefix + "optimized/");
            optimized = new ArtifactRef(store.bucket(), prefix + "optimized/", from.sha256(), -1);
            try {
                // Served only if the copy is whole: a passed optimization whose files are not all there would fail every
                // prediction; without them the version serves the model as trained.
                dev.trainlayer.scoring.ModelFiles.read(store, dev.trainlayer.workflows.activity.ModelArtifacts.optimized(request.type(),
                        optimized, request.featurePipeline()));
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(RegistryActivitiesImpl.class).warn("version {} of {}: the optimized model's files "
                        + "are not complete under {} ({}); the version serves the model as trained", input.version(), request.model(),
                        from.uri(), e.getMessage());
                optimized = null;
            }
        }
        store.copy(request.featurePipeline(), prefix + "features.json");
        store.putBytes(prefix + "metrics.json", Json.bytes(request.metrics()), "application/json");
        store.putBytes(prefix + "provenance.json", Json.bytes(provenance(input)), "application/json");
        PipelineSpec spec = spec(request);
        ModelCard.Sources sources = new ModelCard.Sources(input, spec, read(request.evidence(), ModelEvidence.class),
                profile(request), registered(request.model()), servedOptimization(request, optimized));
        Map<String, Object> cardJson = ModelCard.json(sources);
        store.putBytes(prefix + "card.json", Json.bytes(cardJson), "application/json");
        store.putString(prefix + "card.md", card(input, spec) + ModelCard.markdown(cardJson, sources), "text/markdown");
        // The version's files are the trial's, so the trial's digest over them is the version's.
        return new PublishResult(new ArtifactRef(store.bucket(), prefix, request.trialModel().sha256(), -1),
                new ArtifactRef(store.bucket(), prefix + "features.json", request.featurePipeline().sha256(), -1), optimized);
    }

    /** Copies every object under {@code from}'s prefix to the same names under {@code to}. */
    private void copyAll(ArtifactRef from, String to) {
        for (String key : store.list(from.bucket(), from.key())) {
            store.copy(new ArtifactRef(from.bucket(), key, null, -1), to + key.substring(from.key().length()));
        }
    }

    /**
     * The optimization as the version has it: its files at the version's copy, or not served when the copy did not check
     * out (what the registry workflow records too).
     */
    private static dev.trainlayer.workflows.registry.Optimization servedOptimization(RegisterRequest request, ArtifactRef optimized) {
        if (request.optimization() == null) {
            return null;
        }
        if (optimized == null && request.optimization().artifacts() != null) {
            return request.optimization().at(null).notServed(dev.trainlayer.workflows.registry.Optimization.NOT_COPIED);
        }
        return request.optimization().at(optimized);
    }

    private static Map<String, Object> provenance(PublishInput input) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", input.request().model());
        p.put("version", input.version());
        p.put("registeredAt", Instant.ofEpochMilli(input.registeredAtMillis()).toString());
        p.put("task", input.request().task());
        p.put("type", input.request().type());
        p.put("classes", input.request().classes());
        p.put("lineage", input.request().lineage());
        return p;
    }

    /** A JSON object the card is made from, or null when there is none (older runs) or it is gone. */
    private <T> T read(ArtifactRef ref, Class<T> type) {
        if (ref == null) {
            return null;
        }
        try {
            return Json.read(store.getBytes(ref.bucket(), ref.key()), type);
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    /** The profile of the version's dataset snapshot (its columns), or null. */
    private List<ColumnProfile> profile(RegisterRequest request) {
        if (request.lineage() == null || request.lineage().pipeline() == null || request.lineage().datasetSha256() == null) {
            return null;
        }
        try {
            return List.of(Json.read(store.getBytes(store.bucket(), Keys.datasetProfile(request.lineage().pipeline(),
                    request.lineage().datasetSha256())), ColumnProfile[].class));
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    /** The model's versions as its registry's mirror has them (for the card's lineage chain). */
    private List<ModelVersion> registered(String model) {
        return loadBody(model).versions();
    }

    /** The run's spec (for what the card says of the pipeline), or null when its lineage names none or it is gone. */
    private PipelineSpec spec(RegisterRequest request) {
        if (request.lineage() == null || request.lineage().spec() == null) {
            return null;
        }
        try {
            return dev.trainlayer.workflows.spec.SpecParser.parse(new String(store.getBytes(request.lineage().spec().bucket(),
                    request.lineage().spec().key()), java.nio.charset.StandardCharsets.UTF_8));
        } catch (ObjectNotFoundException | dev.trainlayer.workflows.spec.InvalidSpecException e) {
            return null;
        }
    }

    static String card(PublishInput input) {
        return card(input, null);
    }

    static String card(PublishInput input, dev.trainlayer.workflows.spec.PipelineSpec spec) {
        RegisterRequest r = input.request();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(r.model()).append(" v").append(input.version()).append("\n\n");
        if (spec != null && spec.description() != null && !spec.description().isBlank()) {
            md.append(spec.description().strip()).append("\n\n");
        }
        md.append("| | |\n|---|---|\n");
        if (spec != null && spec.owner() != null) {
            md.append("| owner | ").append(ModelCard.cell(spec.owner())).append(" |\n");
        }
        if (spec != null && spec.tags() != null && !spec.tags().isEmpty()) {
            md.append("| tags | ").append(ModelCard.cell(String.join(", ", spec.tags()))).append(" |\n");
        }
        md.append("| task | ").append(r.task().wire()).append(" |\n");
        md.append("| model type | ").append(r.type().wire()).append(" |\n");
        md.append("| registered | ").append(Instant.ofEpochMilli(input.registeredAtMillis())).append(" |\n");
        md.append("| run | ").append(r.runId()).append(" |\n");
        md.append("| dataset | ").append(r.lineage().datasetUri()).append(" (sha256 ").append(r.lineage().datasetSha256()).append(") |\n");
        md.append("| spec hash | ").append(r.lineage().specHash()).append(" |\n");
        md.append("| seed | ").append(r.lineage().seed()).append(" (split seed ").append(r.lineage().splitSeed()).append(") |\n");
        if (r.lineage().warmStartedFrom() != null) {
            md.append("| trained from | v").append(r.lineage().warmStartedFrom())
                    .append(" (incremental: continued on this dataset; see that version's card for its own lineage) |\n");
        }
        if (r.lineage().feedbackRows() != null && r.lineage().feedbackRows() > 0) {
            md.append("| feedback | ").append(r.lineage().feedbackRows()).append(" rows of production feedback from ")
                    .append(r.lineage().feedbackParts()).append(" part(s) received until ")
                    .append(Instant.ofEpochMilli(r.lineage().feedbackUntilMillis())).append(" |\n");
        }
        if (!r.classes().isEmpty()) {
            md.append("| classes | ").append(String.join(", ", r.classes())).append(" |\n");
        }
        md.append("\n## Test-set metrics\n\n| metric | value |\n|---|---|\n");
        r.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> md.append("| ")
                .append(e.getKey()).append(e.getKey().equals(r.metric().wire()) ? " (primary)" : "").append(" | ")
                .append(String.format(Locale.ROOT, "%.4f", e.getValue())).append(" |\n"));
        if (r.comparison() != null) {
            var c = r.comparison();
            md.append("\n## Against the champion\n\n")
                    .append(String.format(Locale.ROOT, "Compared with version %s on the same %d test rows (%s test): %s improvement "
                            + "%.4f, %d%% confidence interval [%.4f, %.4f], one-sided p = %.4g — %s at alpha %.3g.%n",
                            r.championVersion() == null ? "?" : r.championVersion(), c.rows(), c.test(), c.metric(),
                            c.improvement(), Math.round((1 - c.alpha()) * 100), c.low(), c.high(), c.pValue(),
                            c.significant() ? "significantly better" : "not significantly better", c.alpha()));
        }
        md.append("\n## Parameters\n\n");
        r.lineage().params().forEach((k, v) -> md.append("- `").append(k).append("`: ").append(v).append('\n'));
        md.append("\n## Environment\n\n");
        r.lineage().environment().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        return md.toString();
    }

    @Override
    public RegistryState load(String model) {
        try (Liveness alive = Liveness.start()) {
            return loadBody(model);
        }
    }

    private RegistryState loadBody(String model) {
        try {
            RegistryState mirrored = Json.read(store.getBytes(store.bucket(), Keys.registry(model)), RegistryState.class);
            return model.equals(mirrored.model()) ? mirrored : RegistryState.empty(model);
        } catch (ObjectNotFoundException e) {
            return RegistryState.empty(model);
        }
    }

    @Override
    public void mirror(RegistryState state) {
        try (Liveness alive = Liveness.start()) {
            mirrorBody(state);
        }
    }

    private void mirrorBody(RegistryState state) {
        store.putBytes(Keys.registry(state.model()), Json.bytes(state), "application/json");
        Map<String, Object> alias = new LinkedHashMap<>();
        alias.put("model", state.model());
        alias.put("alias", "champion");
        state.championVersion().ifPresentOrElse(v -> {
            alias.put("version", v.version());
            alias.put("type", v.type());
            alias.put("artifacts", v.artifacts().uri());
            alias.put("featurePipeline", v.featurePipeline().uri());
            alias.put("metrics", v.metrics());
            // What to serve: the optimized model when its optimization passed (see ModelVersion.serving()).
            alias.put("served", Map.of("optimized", v.serving().hasOptimizedFiles(), "artifacts", v.serving().model().uri()));
        }, () -> alias.put("version", null));
        alias.put("history", List.copyOf(state.championHistory()));
        store.putBytes(Keys.champion(state.model()), Json.bytes(alias), "application/json");
    }
}
