package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.TrialResult;
import java.util.List;
import java.util.Map;

/**
 * Every trial of the search (curves left in the store), parameter importance, why it stopped, and how many
 * observations of earlier runs it started from, and its event log (trials started and ended, alerts; empty from
 * searches that ran before there was one).
 */
public record SearchResult(List<TrialResult> trials, Map<String, Double> importance, String stopReason, int priors,
                           List<RunEvent> events) {
    public SearchResult {
        events = events == null ? List.of() : List.copyOf(events);
    }

    public SearchResult(List<TrialResult> trials, Map<String, Double> importance, String stopReason, int priors) {
        this(trials, importance, stopReason, priors, null);
    }
}
