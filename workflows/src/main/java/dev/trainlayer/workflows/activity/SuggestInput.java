package dev.trainlayer.workflows.activity;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainlayer.workflows.spec.SearchSpec;
import java.util.List;
import java.util.Map;

/**
 * Ask the optimizer for {@code count} configurations, given everything finished and everything still running.
 *
 * @param retired    candidates that get no more trials (the search's budget allocation); null or empty: none
 * @param costWeight how strongly a configuration's expected cost counts against its expected improvement
 *                   (expected improvement per second^costWeight; 0 or null: cost is ignored)
 * @param starts     configurations the search tries first, in order, before the optimizer's own design points
 *                   (each candidate's own parameters; partial: dimensions a start leaves out are the design
 *                   point's); null: none
 * @param fits       the optimizer's hyperparameters as the previous suggestion left them, to reuse or refit from;
 *                   null: fit from scratch
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuggestInput(
        String runId,
        SearchSpec.Algorithm algorithm,
        long seed,
        List<SearchDimension> dimensions,
        List<SearchObservation> observations,
        List<Map<String, Object>> pending,
        int count,
        List<String> retired,
        Double costWeight,
        List<Map<String, Object>> starts,
        SurrogateFits fits) {
    public SuggestInput {
        dimensions = List.copyOf(dimensions);
        observations = List.copyOf(observations);
        pending = List.copyOf(pending);
        retired = retired == null || retired.isEmpty() ? null : List.copyOf(retired);
        starts = starts == null || starts.isEmpty() ? null : List.copyOf(starts);
    }

    public SuggestInput(String runId, SearchSpec.Algorithm algorithm, long seed, List<SearchDimension> dimensions,
                        List<SearchObservation> observations, List<Map<String, Object>> pending, int count,
                        List<String> retired, Double costWeight) {
        this(runId, algorithm, seed, dimensions, observations, pending, count, retired, costWeight, null, null);
    }

    public SuggestInput(String runId, SearchSpec.Algorithm algorithm, long seed, List<SearchDimension> dimensions,
                        List<SearchObservation> observations, List<Map<String, Object>> pending, int count,
                        List<String> retired, Double costWeight, List<Map<String, Object>> starts) {
        this(runId, algorithm, seed, dimensions, observations, pending, count, retired, costWeight, starts, null);
    }

    public SuggestInput(String runId, SearchSpec.Algorithm algorithm, long seed, List<SearchDimension> dimensions,
                        List<SearchObservation> observations, List<Map<String, Object>> pending, int count) {
        this(runId, algorithm, seed, dimensions, observations, pending, count, null, null, null, null);
    }
}
