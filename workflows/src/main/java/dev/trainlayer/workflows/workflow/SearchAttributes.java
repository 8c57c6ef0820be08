package dev.trainlayer.workflows.workflow;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** Custom search attributes that make runs findable in the Temporal UI and through list queries. */
public final class SearchAttributes {
    public static final SearchAttributeKey<String> PIPELINE = SearchAttributeKey.forKeyword("TrainlayerPipeline");
    public static final SearchAttributeKey<String> MODEL = SearchAttributeKey.forKeyword("TrainlayerModel");
    public static final SearchAttributeKey<String> PHASE = SearchAttributeKey.forKeyword("TrainlayerPhase");
    public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("TrainlayerStatus");

    public static final List<SearchAttributeKey<String>> ALL = List.of(PIPELINE, MODEL, PHASE, STATUS);

    private SearchAttributes() {}
}
