package dev.trainlayer.workflows.activity;

import java.util.Map;

/** A finished trial as the optimizer sees it: its flat configuration and the value to minimize. */
public record SearchObservation(Map<String, Object> config, double value) {}
