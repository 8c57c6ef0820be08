package dev.trainlayer.workflows.workflow;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** Custom search attributes that make runs findable in the Temporal UI and through list queries. */
public final class SearchAttributes {
    public static final SearchAttributeKey<String> PIPELINE = SearchAttributeKey.forKeyword("TrainlayerPipeline");
    public static final SearchAttributeKey<String> MODEL = SearchAttributeKey.forKeyword("TrainlayerModel");
    public static final SearchAttributeKey<String> PHASE = SearchAttributeKey.forKeyword("TrainlayerPhase");
    public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("TrainlayerStatus");
    /** The project a run belongs to: every list query the API makes filters on it. */
    public static final SearchAttributeKey<String> PROJECT = SearchAttributeKey.forKeyword("TrainlayerProject");

    /** The run's best validation value of its metric so far (set once training is done). */
    public static final SearchAttributeKey<Double> BEST_METRIC = SearchAttributeKey.forDouble("TrainlayerBestMetric");

    /** The keyword attributes; {@link #BEST_METRIC} is the one number. */
    public static final List<SearchAttributeKey<String>> ALL = List.of(PIPELINE, MODEL, PHASE, STATUS, PROJECT);

    /** The attributes a run starts with: findable by pipeline and model at once, phase STARTING, status RUNNING. */
    public static io.temporal.common.SearchAttributes starting(String project, String pipeline, String model) {
        return io.temporal.common.SearchAttributes.newBuilder()
                .set(PROJECT, project)
                .set(PIPELINE, pipeline)
                .set(MODEL, model)
                .set(PHASE, Phase.STARTING.name())
                .set(STATUS, RunStatus.RUNNING.name())
                .build();
    }

    private SearchAttributes() {}
}
