package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One candidate model: a family and its fixed parameters (unset ones take the family's defaults).
 *
 * @param name optional label used in trial ids and reports; defaults to the type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCandidate(ModelType type, String name, Map<String, Object> params) {

    public ModelCandidate {
        params = params == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Defaults merged under the given params, keys sorted so the spec hash is stable. */
    public ModelCandidate withDefaults() {
        if (type == null) {
            return this;
        }
        Map<String, Object> merged = new TreeMap<>(type.defaults());
        if (params != null) {
            merged.putAll(params);
        }
        return new ModelCandidate(type, name == null || name.isBlank() ? type.wire() : name, merged);
    }
}
