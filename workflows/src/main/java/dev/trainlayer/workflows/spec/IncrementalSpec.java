package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Incremental training: when the model has a champion that the new data fits, a run continues training
 * the champion (its weights, or its boosted trees) on the new snapshot instead of searching or training
 * from scratch. Meant for scheduled retrains on fresh data.
 *
 * <p>The champion's fitted feature pipeline is reused as it is (the warm-started network or trees only
 * understand its encoding), so the new data must have the same input columns with the same kinds and the
 * same label classes. When it does not — or when there is no champion yet — the run trains as if this
 * section were absent and says why in its warnings. Training starts by scoring the champion on the new
 * validation rows; an epoch or round only counts as better when it beats that, so the warm-started model
 * is never worse on validation than the champion it started from. Gates then judge it as any challenger.
 *
 * @param enabled            on when the section is present (default true); {@code false} keeps the section but turns it off
 * @param epochs             MLP: further epochs at most, early-stopped by the champion's own patience (default 20)
 * @param rounds             XGBoost: further boosting rounds at most, early-stopped (default 100)
 * @param learningRateFactor scales the champion's learning rate (MLP) or eta (XGBoost) for the continued
 *                           training; below 1 keeps it close to what it learned (default 0.5)
 * @param fromScratchEvery   every n-th model of a chain is trained from scratch: when the champion already ends a
 *                           chain of n − 1 continued versions, this run trains from scratch, so new columns and
 *                           categories are learned now and then (default: never)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncrementalSpec(Boolean enabled, Integer epochs, Integer rounds, Double learningRateFactor, Integer fromScratchEvery) {
    public static final int DEFAULT_EPOCHS = 20;
    public static final int DEFAULT_ROUNDS = 100;
    public static final double DEFAULT_LEARNING_RATE_FACTOR = 0.5;

    public boolean on() {
        return enabled == null || enabled;
    }

    /**
     * The parameters a continued model trains with: the champion's own, with this section's budget (further
     * epochs or rounds) and its learning rate (MLP) or eta (XGBoost) scaled. Call on a resolved section.
     */
    public java.util.Map<String, Object> continueParams(ModelType type, java.util.Map<String, Object> championParams) {
        java.util.Map<String, Object> params = new java.util.TreeMap<>(type.defaults());
        params.putAll(championParams);
        if (type == ModelType.MLP) {
            params.put("maxEpochs", epochs);
            params.put("learningRate", ModelParams.getDouble(params, "learningRate") * learningRateFactor);
        } else {
            params.put("numRounds", rounds);
            params.put("eta", ModelParams.getDouble(params, "eta") * learningRateFactor);
        }
        return params;
    }

    IncrementalSpec withDefaults() {
        return new IncrementalSpec(on(), epochs == null ? DEFAULT_EPOCHS : epochs, rounds == null ? DEFAULT_ROUNDS : rounds,
                learningRateFactor == null ? DEFAULT_LEARNING_RATE_FACTOR : learningRateFactor, fromScratchEvery);
    }
}
