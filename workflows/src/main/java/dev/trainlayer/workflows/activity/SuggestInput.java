package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.spec.SearchSpec;
import java.util.List;
import java.util.Map;

/** Ask the optimizer for {@code count} configurations, given everything finished and everything still running. */
public record SuggestInput(
        String runId,
        SearchSpec.Algorithm algorithm,
        long seed,
        List<SearchDimension> dimensions,
        List<SearchObservation> observations,
        List<Map<String, Object>> pending,
        int count) {
    public SuggestInput {
        dimensions = List.copyOf(dimensions);
        observations = List.copyOf(observations);
        pending = List.copyOf(pending);
    }
}
