package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Stops hopeless trials early, from the validation values trials report as they train (epochs for the
 * MLP, boosting rounds for XGBoost are the resource).
 *
 * <ul>
 *   <li>{@code median} (default): at each check step a trial stops when its value is worse than the median
 *       of earlier trials' values at the same step (the median stopping rule). Steps double:
 *       {@code minResource}, 2×, 4×, …
 *   <li>{@code asha}: asynchronous successive halving. Rungs at {@code minResource × reductionFactor^k};
 *       a trial continues past a rung only when it is in the best {@code 1/reductionFactor} of the trials
 *       that reached it.
 *   <li>{@code none}: trials run until their own early stopping ends them.
 * </ul>
 *
 * A trial's value at step s is its validation metric at its best epoch so far (what it would report if it
 * stopped at s); a trial that early-stopped before s keeps its final value. Trials are only compared with
 * trials of the same candidate, and nothing is pruned until {@code startupTrials} of them have a value at
 * that step (in a search of several candidates, from the third check on, three are enough: see
 * {@link dev.trainlayer.workflows.activity.PruningPlan#SHARED_STARTUP_TRIALS}).
 *
 * @param minResource first check step, in epochs or rounds (default: 5 epochs for mlp, 20 rounds for xgboost)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PruningSpec(Rule rule, Integer startupTrials, Integer minResource, Integer reductionFactor) {
    public static final int DEFAULT_STARTUP_TRIALS = 5;
    public static final int DEFAULT_REDUCTION_FACTOR = 3;

    public enum Rule {
        NONE, MEDIAN, ASHA;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Rule parse(String value) {
            return Enums.parse(Rule.class, value);
        }
    }

    public static PruningSpec defaults() {
        return new PruningSpec(Rule.MEDIAN, DEFAULT_STARTUP_TRIALS, null, DEFAULT_REDUCTION_FACTOR);
    }

    PruningSpec withDefaults() {
        return new PruningSpec(rule == null ? Rule.MEDIAN : rule,
                startupTrials == null ? DEFAULT_STARTUP_TRIALS : startupTrials, minResource,
                reductionFactor == null ? DEFAULT_REDUCTION_FACTOR : reductionFactor);
    }

    /** The first check step for a model family when the spec names none. */
    public int minResourceFor(ModelType type) {
        if (minResource != null) {
            return minResource;
        }
        return type == ModelType.MLP ? 5 : 20;
    }

    /** Growth of the check steps: 2 for the median rule, the reduction factor for ASHA. */
    public int stepFactor() {
        return rule == Rule.ASHA ? (reductionFactor == null ? DEFAULT_REDUCTION_FACTOR : reductionFactor) : 2;
    }
}
