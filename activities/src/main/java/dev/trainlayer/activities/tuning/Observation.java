package dev.trainlayer.activities.tuning;

import java.util.Map;

/** A finished evaluation: a configuration and its value (lower is better: maximized metrics are negated). */
public record Observation(Map<String, Object> params, double value) {
    public Observation {
        params = Map.copyOf(params);
    }
}
