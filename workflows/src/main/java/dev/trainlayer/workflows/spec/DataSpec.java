package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the training data lives: {@code s3://bucket/key.csv} for one object, or {@code s3://bucket/prefix/}
 * for every CSV part under a prefix (read in key order, each with the same header).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(String uri, String format) {

    public DataSpec withDefaults() {
        return new DataSpec(uri, format == null ? "csv" : format.toLowerCase(java.util.Locale.ROOT));
    }
}
