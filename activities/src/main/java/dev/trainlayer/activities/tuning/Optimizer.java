package dev.trainlayer.activities.tuning;

import java.util.List;
import java.util.Map;

/**
 * Ask/tell hyperparameter search, minimizing. Stateless: every call gets the whole history, so a
 * suggestion is a pure function of (space, seed, observations, pending) and survives any restart.
 */
public interface Optimizer {
    /**
     * @param observed finished evaluations (failed ones left out)
     * @param pending  configurations being evaluated now; suggestions avoid them
     * @param count    how many configurations to suggest (a batch for parallel trials)
     */
    List<Map<String, Object>> suggest(List<Observation> observed, List<Map<String, Object>> pending, int count);
}
