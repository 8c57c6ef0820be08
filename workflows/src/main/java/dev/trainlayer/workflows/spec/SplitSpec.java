package dev.trainlayer.workflows.spec;

/**
 * How rows are split. {@code test} and {@code validation} are fractions of all rows; the rest trains.
 * The split is seeded and, for classification, stratified by label unless turned off.
 */
public record SplitSpec(Double test, Double validation, Boolean stratify, Long seed) {

    public static final double DEFAULT_TEST = 0.2;
    public static final double DEFAULT_VALIDATION = 0.15;

    SplitSpec withDefaults(Task task, long pipelineSeed) {
        return new SplitSpec(
                test == null ? DEFAULT_TEST : test,
                validation == null ? DEFAULT_VALIDATION : validation,
                stratify == null ? task == Task.CLASSIFICATION : stratify,
                seed == null ? pipelineSeed : seed);
    }
}
