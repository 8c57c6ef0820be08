package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.TrialResult;
import java.util.List;
import java.util.Map;

/**
 * Every trial of the search (curves left in the store), parameter importance, why it stopped, and how many
 * observations of earlier runs it started from.
 */
public record SearchResult(List<TrialResult> trials, Map<String, Double> importance, String stopReason, int priors) {}
