package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the training data lives: {@code s3://bucket/key.csv} for one object, or {@code s3://bucket/prefix/}
 * for every CSV part under a prefix (read in key order, each with the same header). With {@code format: parquet}
 * the object, or every {@code .parquet} part under the prefix, is Parquet (the same columns in each part).
 *
 * @param feedback {@code include} (the default): a run's snapshot adds the labelled production rows posted to
 *                 {@code POST /api/v1/pipelines/{name}/feedback} before it started; {@code exclude}: the source only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(String uri, String format, String feedback) {
    public static final String INCLUDE = "include";
    public static final String EXCLUDE = "exclude";

    public DataSpec(String uri, String format) {
        this(uri, format, null);
    }

    public DataSpec withDefaults() {
        // feedback stays absent when absent, so specs written before feedback keep their hash.
        return new DataSpec(uri, format == null ? "csv" : format.toLowerCase(java.util.Locale.ROOT),
                feedback == null ? null : feedback.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether runs take in the pipeline's feedback. */
    public boolean includesFeedback() {
        return feedback == null || INCLUDE.equalsIgnoreCase(feedback);
    }
}
