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
public record ModelCandidate(ModelType type, String name, Map<String, Object> params, Map<String, ParamRange> space) {

    public ModelCandidate {
        params = params == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        space = space == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(space));
    }

    public ModelCandidate(ModelType type, String name, Map<String, Object> params) {
        this(type, name, params, null);
    }

    /** The searched space: the candidate's own, or its type's default when a search runs without one. */
    public Map<String, ParamRange> spaceOrDefault() {
        return spaceOrDefault(0, ModelType.SCALING_STEPS_25_TO_200);
    }

    /**
     * The searched space, with a default that scales with {@code trainRows} (0: unknown) under a data-size
     * {@code scaling} (see {@link ModelType#defaultSpace(long, int)}).
     */
    public Map<String, ParamRange> spaceOrDefault(long trainRows, int scaling) {
        return space != null ? space : type.defaultSpace(trainRows, scaling);
    }

    /** The same candidate with some parameters replaced (a search trial's configuration). */
    public ModelCandidate with(Map<String, Object> overrides) {
        Map<String, Object> merged = new TreeMap<>(params == null ? Map.of() : params);
        merged.putAll(overrides);
        return new ModelCandidate(type, name, merged, space);
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
        return new ModelCandidate(type, name == null || name.isBlank() ? type.wire() : name, merged, space);
    }
}
