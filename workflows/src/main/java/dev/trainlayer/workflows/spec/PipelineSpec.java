package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A pipeline: what to train, on which data, how to judge it and when to promote it.
 *
 * <p>Parsed by {@link SpecParser} from JSON or YAML. Optional parts may be absent; {@link #withDefaults()}
 * fills them so that every consumer (workflow, activities, lineage) sees the same resolved spec.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineSpec(
        String name,
        Task task,
        String target,
        String model,
        DataSpec data,
        FeaturesSpec features,
        SplitSpec split,
        List<ModelCandidate> models,
        Metric metric,
        GatesSpec gates,
        PromotionSpec promotion,
        ComputeSpec compute,
        SearchSpec search,
        Long seed,
        IncrementalSpec incremental,
        AlertsSpec alerts,
        ValidationSpec validation,
        String description,
        String owner,
        List<String> tags,
        RetentionSpec retention,
        OptimizeSpec optimize) {

    public static final long DEFAULT_SEED = 42L;

    /** The spec as it was before model optimization existed. */
    public PipelineSpec(String name, Task task, String target, String model, DataSpec data, FeaturesSpec features,
                        SplitSpec split, List<ModelCandidate> models, Metric metric, GatesSpec gates,
                        PromotionSpec promotion, ComputeSpec compute, SearchSpec search, Long seed, IncrementalSpec incremental,
                        AlertsSpec alerts, ValidationSpec validation, String description, String owner, List<String> tags,
                        RetentionSpec retention) {
        this(name, task, target, model, data, features, split, models, metric, gates, promotion, compute, search, seed, incremental,
                alerts, validation, description, owner, tags, retention, null);
    }

    /** The spec as it was before descriptions, owners, tags and retention existed. */
    public PipelineSpec(String name, Task task, String target, String model, DataSpec data, FeaturesSpec features,
                        SplitSpec split, List<ModelCandidate> models, Metric metric, GatesSpec gates,
                        PromotionSpec promotion, ComputeSpec compute, SearchSpec search, Long seed, IncrementalSpec incremental,
                        AlertsSpec alerts, ValidationSpec validation) {
        this(name, task, target, model, data, features, split, models, metric, gates, promotion, compute, search, seed, incremental,
                alerts, validation, null, null, null, null);
    }

    /** The spec as it was before incremental training existed. */
    public PipelineSpec(String name, Task task, String target, String model, DataSpec data, FeaturesSpec features,
                        SplitSpec split, List<ModelCandidate> models, Metric metric, GatesSpec gates,
                        PromotionSpec promotion, ComputeSpec compute, SearchSpec search, Long seed) {
        this(name, task, target, model, data, features, split, models, metric, gates, promotion, compute, search, seed, null);
    }

    /** The spec as it was before alerts existed. */
    public PipelineSpec(String name, Task task, String target, String model, DataSpec data, FeaturesSpec features,
                        SplitSpec split, List<ModelCandidate> models, Metric metric, GatesSpec gates,
                        PromotionSpec promotion, ComputeSpec compute, SearchSpec search, Long seed, IncrementalSpec incremental) {
        this(name, task, target, model, data, features, split, models, metric, gates, promotion, compute, search, seed, incremental, null);
    }

    /** The spec as it was before validation rules existed. */
    public PipelineSpec(String name, Task task, String target, String model, DataSpec data, FeaturesSpec features,
                        SplitSpec split, List<ModelCandidate> models, Metric metric, GatesSpec gates,
                        PromotionSpec promotion, ComputeSpec compute, SearchSpec search, Long seed, IncrementalSpec incremental,
                        AlertsSpec alerts) {
        this(name, task, target, model, data, features, split, models, metric, gates, promotion, compute, search, seed, incremental,
                alerts, null);
    }

    /** The data rules, with their defaults where absent. */
    public ValidationSpec validationOrDefault() {
        return validation == null ? ValidationSpec.DEFAULTS : validation;
    }

    /** Whether a trial that shows an anomaly (see {@link AlertsSpec}) is stopped rather than only reported. */
    public boolean stopsAnomalousTrials() {
        return alerts != null && Boolean.TRUE.equals(alerts.stopAnomalousTrials());
    }

    public PipelineSpec {
        models = models == null ? null : List.copyOf(models);
        tags = tags == null ? null : List.copyOf(tags);
    }

    /** The registry name of the model this pipeline produces. */
    public String modelName() {
        return model == null || model.isBlank() ? name : model;
    }

    /**
     * The candidates when a spec lists none: boosted trees, the network, and the two cheap baselines (the
     * regularized linear model and the random forest); a search moves its trials to whichever is ahead.
     */
    public static final List<ModelType> DEFAULT_FAMILIES = List.of(ModelType.XGBOOST, ModelType.MLP, ModelType.LINEAR,
            ModelType.FOREST);
    /** The candidates a spec without any got before the baselines existed (runs started then replay with them). */
    public static final List<ModelType> EARLIER_DEFAULT_FAMILIES = List.of(ModelType.MLP, ModelType.XGBOOST);

    /** The same spec with every optional part resolved to its default. Idempotent. */
    public PipelineSpec withDefaults() {
        return withDefaults(DEFAULT_FAMILIES);
    }

    /** The same, with {@code families} as the candidates when the spec lists none. */
    public PipelineSpec withDefaults(List<ModelType> families) {
        Task resolvedTask = task == null ? Task.CLASSIFICATION : task;
        List<ModelCandidate> candidates = models == null || models.isEmpty()
                ? families.stream().map(f -> new ModelCandidate(f, null, null)).toList()
                : models;
        return new PipelineSpec(
                name,
                resolvedTask,
                target,
                modelName(),
                (data == null ? new DataSpec(null, null) : data).withDefaults(),
                features == null ? FeaturesSpec.EMPTY : features.withDefaults(),
                (split == null ? new SplitSpec(null, null, null, null) : split).withDefaults(resolvedTask, seedOrDefault()),
                candidates.stream().map(ModelCandidate::withDefaults).toList(),
                metric == null ? Metric.defaultFor(resolvedTask) : metric,
                (gates == null ? GatesSpec.NONE : gates).withDefaults(),
                (promotion == null ? new PromotionSpec(null, null) : promotion).withDefaults(),
                (compute == null ? new ComputeSpec(null) : compute).withDefaults(),
                search == null ? null : search.withDefaults(seedOrDefault()),
                seedOrDefault(),
                incremental == null ? null : incremental.withDefaults(),
                // Left absent when absent, so specs written before alerts keep their hash.
                alerts,
                validation,
                description,
                owner,
                tags,
                retention,
                optimize);
    }

    /** Whether runs of this spec continue training the champion when they can (see {@link IncrementalSpec}). */
    public boolean incrementalOn() {
        return incremental != null && incremental.on();
    }

    public long seedOrDefault() {
        return seed == null ? DEFAULT_SEED : seed;
    }
}
