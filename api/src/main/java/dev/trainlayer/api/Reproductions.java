package dev.trainlayer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.ModelArtifacts;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.registry.Lineage;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.workflow.Reproduction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to rebuild a registered version from its provenance alone: its run's spec ({@code runs/{runId}/spec.json}), the
 * dataset snapshot its lineage names by sha256, and the winning trial as its run's ledger recorded it (family,
 * parameters, seed, and whether it was a refit). 409 names what is missing when the store no longer has it.
 */
final class Reproductions {
    private Reproductions() {}

    /** The spec to run under and what to train. */
    record Plan(PipelineSpec spec, Reproduction.Request request) {}

    static Plan plan(ObjectStore store, ObjectMapper json, String model, RegistryState registry, ModelVersion v) {
        Lineage lineage = v.lineage();
        String name = "model '" + model + "' version " + v.version();
        if (lineage == null || lineage.spec() == null || lineage.datasetSha256() == null || lineage.trialId() == null
                || lineage.pipeline() == null || v.artifacts() == null) {
            throw ApiException.conflict(name + " has no complete provenance (spec, dataset snapshot, winning trial) to reproduce it from");
        }
        PipelineSpec spec = PipelineSpecs.recorded(store, lineage).orElseThrow(() -> ApiException.conflict(name + ": its run's spec ("
                + lineage.spec().uri() + ") is no longer in the store, or no longer a valid spec"));
        if (!store.exists(Keys.datasetData(lineage.pipeline(), lineage.datasetSha256()))) {
            throw ApiException.conflict(name + ": its dataset snapshot " + lineage.datasetSha256() + " is no longer in the store");
        }
        TrialResult trial = trial(store, json, name, lineage);
        Map<String, Object> params = new LinkedHashMap<>(trial.params());
        String note = null;
        Integer refitSteps = null;
        if (lineage.trialId().endsWith("/refit")) {
            refitSteps = trial.epochs();
        } else if (trial.failure() != null && trial.epochs() > 0 && trial.type() != ModelType.FOREST) {
            // A completed trial with a note: the search's time budget stopped it. Trained for the steps it had, it is the same.
            String steps = trial.type() == ModelType.MLP ? "maxEpochs" : "numRounds";
            params.put(steps, trial.epochs());
            note = "the version's trial was stopped at the search's time budget; reproduced with " + steps + " " + trial.epochs();
        }
        ModelArtifacts warmStart = null;
        Integer warmStartVersion = lineage.warmStartedFrom();
        if (warmStartVersion != null) {
            ModelVersion base = registry.version(warmStartVersion).orElseThrow(() -> ApiException.conflict(name
                    + " continued training version " + warmStartVersion + ", which the registry no longer has"));
            warmStart = base.trained();
        }
        if (trial.seed() == null) {
            // Runs from before trials recorded their seed: the spec's seed is not the trial's (trials get seed + i).
            throw ApiException.conflict(name + ": its run's ledger does not record trial " + lineage.trialId() + "'s seed "
                    + "(a run from before seeds were recorded); it cannot be rebuilt bit for bit");
        }
        long seed = trial.seed();
        Reproduction.Expected expected = new Reproduction.Expected(v.artifacts().sha256(),
                v.featurePipeline() == null ? null : v.featurePipeline().sha256(), v.metrics(), lineage.environment());
        return new Plan(spec, new Reproduction.Request(v.version(), lineage.pipeline(), lineage.datasetSha256(), lineage.trialId(),
                trial.candidate(), trial.type(), params, seed, refitSteps, warmStart, warmStartVersion, expected, note));
    }

    /** The winning trial's ledger entry. */
    private static TrialResult trial(ObjectStore store, ObjectMapper json, String name, Lineage lineage) {
        String ledger;
        try {
            ledger = new String(store.getBytes(store.bucket(), Keys.ledger(lineage.runId())), StandardCharsets.UTF_8);
        } catch (ObjectNotFoundException e) {
            throw ApiException.conflict(name + ": its run's trial ledger (" + Keys.ledger(lineage.runId()) + ") is no longer in the store");
        }
        try {
            for (String line : ledger.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry = json.readTree(line).path("trial");
                if (lineage.trialId().equals(entry.path("trialId").asText())) {
                    return json.treeToValue(entry, TrialResult.class);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.conflict(name + ": its run's trial ledger (" + Keys.ledger(lineage.runId()) + ") is unreadable: "
                    + e.getMessage());
        }
        throw ApiException.conflict(name + ": its run's ledger has no trial " + lineage.trialId());
    }
}
