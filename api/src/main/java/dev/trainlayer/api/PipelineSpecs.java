package dev.trainlayer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A pipeline's current spec: the one its latest run used (what its target and model are). */
@Singleton
public class PipelineSpecs {
    private final ObjectStore store;
    private final ObjectMapper json;

    public PipelineSpecs(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    public Optional<PipelineSpec> latest(String project, String pipeline) {
        for (ObjectStore.Listed listed : store.listNewestFirst(Keys.pipelineRuns(Projects.qualify(project, pipeline)))) {
            try {
                RunRecord run = json.readValue(store.getBytes(store.bucket(), listed.key()), RunRecord.class);
                if (!run.projectOrDefault().equals(project) || run.reproduces() != null) {
                    continue;   // another project's, or a reproduction under an older version's spec
                }
                String text = new String(store.getBytes(store.bucket(), Keys.runSpec(run.runId())), StandardCharsets.UTF_8);
                return Optional.of(SpecParser.parse(text).withDefaults());
            } catch (IOException | RuntimeException e) {
                // an index entry being written, or a run whose spec is gone: try the one before
            }
        }
        return Optional.empty();
    }

    /**
     * The spec a version was trained under, as its lineage recorded it ({@code runs/{runId}/spec.json}); empty when the
     * lineage names none, or the store no longer has it or cannot parse it.
     */
    static Optional<PipelineSpec> recorded(ObjectStore store, dev.trainlayer.workflows.registry.Lineage lineage) {
        if (lineage == null || lineage.spec() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SpecParser.parse(new String(store.getBytes(lineage.spec().bucket(), lineage.spec().key()),
                    StandardCharsets.UTF_8)));
        } catch (dev.trainlayer.store.ObjectNotFoundException | dev.trainlayer.workflows.spec.InvalidSpecException e) {
            return Optional.empty();
        }
    }

    /** The spec, or a 404 that says a run must come first. */
    public PipelineSpec require(String project, String pipeline) {
        return latest(project, pipeline).orElseThrow(() -> ApiException.notFound("pipeline '" + pipeline
                + "' has no runs yet: feedback and monitoring follow a pipeline's model, so start a run first"));
    }
}
