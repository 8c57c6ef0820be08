package dev.trainlayer.workflows.activity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The configurations to try next, the fitted model's view of which dimensions matter (may be empty), and the
 * hyperparameters it used (null before the optimizer fits any), for the next suggestion to start from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuggestResult(List<Map<String, Object>> configs, Map<String, Double> importance, SurrogateFits fits) {
    public SuggestResult(List<Map<String, Object>> configs, Map<String, Double> importance) {
        this(configs, importance, null);
    }
}
