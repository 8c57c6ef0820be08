package dev.trainlayer.activities.tuning;

import java.util.Map;

/**
 * A finished evaluation: a configuration, its value (lower is better: maximized metrics are negated) and
 * what it cost in seconds (null when unknown or cut short).
 */
public record Observation(Map<String, Object> params, double value, Double cost) {
    public Observation {
        params = Map.copyOf(params);
    }

    public Observation(Map<String, Object> params, double value) {
        this(params, value, null);
    }
}
