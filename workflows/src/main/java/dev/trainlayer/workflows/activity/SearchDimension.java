package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.spec.ParamRange;

/** One dimension of a search, flattened: {@code candidate} (which model), or {@code <candidate>.<param>}. */
public record SearchDimension(String name, ParamRange range, boolean integer) {
    /** The dimension that chooses the model candidate, present when a search has several. */
    public static final String CANDIDATE = "candidate";
}
