package dev.trainlayer.workflows.activity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A finished trial as the optimizer sees it: its flat configuration, the value to minimize and, for a
 * trial that trained to the end, what it cost in seconds ({@code null} for pruned trials, whose time was
 * cut short, and for observations recorded before costs were).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchObservation(Map<String, Object> config, double value, Double cost) {
    public SearchObservation(Map<String, Object> config, double value) {
        this(config, value, null);
    }
}
