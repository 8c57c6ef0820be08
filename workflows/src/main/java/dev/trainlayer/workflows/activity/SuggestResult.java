package dev.trainlayer.workflows.activity;

import java.util.List;
import java.util.Map;

/** The configurations to try next, and the fitted model's view of which dimensions matter (may be empty). */
public record SuggestResult(List<Map<String, Object>> configs, Map<String, Double> importance) {}
