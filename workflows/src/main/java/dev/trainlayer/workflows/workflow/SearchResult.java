package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.TrialResult;
import java.util.List;
import java.util.Map;

/** Every trial of the search (curves left in the store), parameter importance, and why it stopped. */
public record SearchResult(List<TrialResult> trials, Map<String, Double> importance, String stopReason) {}
