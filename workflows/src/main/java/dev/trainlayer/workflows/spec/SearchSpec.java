package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Hyperparameter search over the candidates' {@code space}s (each candidate without one gets a default
 * space for its type). The candidate itself is a searched choice when there are several.
 *
 * @param trials      total trials (default 20)
 * @param parallelism trials training at once (default 2)
 * @param timeBudget  stop launching trials after this long (e.g. 30m); running ones finish
 * @param target      stop as soon as a trial's validation metric reaches this value
 * @param seed        the optimizer's seed (default: the pipeline seed)
 * @param warmStart   start from earlier runs' trials of this pipeline when their search space and feature
 *                    schema match (default true); they join the optimizer's history as ordinary observations
 * @param pruning     stop hopeless trials early (default: the median rule, see {@link PruningSpec})
 * @param kfold       score every trial by k-fold cross-validation on the training and validation rows
 *                    (stratified for classification; folds train in parallel); the best configuration is
 *                    then trained once more on the usual split to become the challenger. Off when absent.
 * @param refit       train the chosen configuration once more on the training and validation rows together, for the
 *                    rounds or epochs its early stopping chose, to become the challenger (default true): it learns
 *                    from the validation rows too, and the test rows stay unseen for evaluation and gates. Not with
 *                    {@code kfold}, whose final training is on the usual split.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchSpec(Algorithm algorithm, Integer trials, Integer parallelism, String timeBudget, Double target, Long seed,
                         Boolean warmStart, PruningSpec pruning, Integer kfold, Boolean refit) {

    public static final int DEFAULT_TRIALS = 20;
    public static final int DEFAULT_PARALLELISM = 2;

    public enum Algorithm {
        BAYESIAN, RANDOM;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Algorithm parse(String value) {
            return Enums.parse(Algorithm.class, value);
        }
    }

    SearchSpec withDefaults(long pipelineSeed) {
        return new SearchSpec(algorithm == null ? Algorithm.BAYESIAN : algorithm,
                trials == null ? DEFAULT_TRIALS : trials,
                parallelism == null ? DEFAULT_PARALLELISM : parallelism,
                timeBudget, target, seed == null ? pipelineSeed : seed, warmStart == null || warmStart,
                pruning == null ? PruningSpec.defaults() : pruning.withDefaults(), kfold, refit == null || refit);
    }

    /** Whether the chosen configuration is refit on the training and validation rows (absent: yes). */
    public boolean refitOrDefault() {
        return refit == null || refit;
    }
}
