package dev.trainlayer.workflows.registry;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.spec.ModelType;
import java.util.Map;

/**
 * Where a model version came from — enough to rebuild it: the data version, the resolved spec, the
 * winning trial's params and seeds, and the code and engine versions that trained it. {@code warmStartedFrom}
 * is the version an incremental run continued training from (null when trained from scratch): the
 * model then also depends on that version's lineage; {@code continuedChain} counts the continued versions in a
 * row that end with this one.
 */
public record Lineage(
        String runId,
        String pipeline,
        String datasetUri,
        String datasetSha256,
        String specHash,
        ArtifactRef spec,
        String trialId,
        ModelType type,
        Map<String, Object> params,
        long seed,
        long splitSeed,
        Map<String, String> environment,
        Integer warmStartedFrom,
        Integer continuedChain,
        Long feedbackRows,
        Integer feedbackParts,
        Long feedbackUntilMillis,
        ArtifactRef feedbackManifest) {

    public Lineage(String runId, String pipeline, String datasetUri, String datasetSha256, String specHash, ArtifactRef spec,
                   String trialId, ModelType type, Map<String, Object> params, long seed, long splitSeed,
                   Map<String, String> environment, Integer warmStartedFrom, Integer continuedChain) {
        this(runId, pipeline, datasetUri, datasetSha256, specHash, spec, trialId, type, params, seed, splitSeed, environment,
                warmStartedFrom, continuedChain, null, null, null, null);
    }

    /** Continued versions in a row ending with this one (0: trained from scratch). */
    public int chain() {
        if (continuedChain != null) {
            return continuedChain;
        }
        return warmStartedFrom == null ? 0 : 1;
    }
}
