package dev.trainlayer.activities.data;

import java.util.Map;

/**
 * What a column looks like: inferred type, missing count, distinct values (counted up to a cap), numeric
 * summary, and the most frequent values of a categorical column.
 */
public record ColumnProfile(
        String name,
        String type,
        long missing,
        long distinct,
        boolean distinctCapped,
        Double min,
        Double max,
        Double mean,
        Double std,
        Map<String, Long> topValues) {

    public static final String NUMERIC = "numeric";
    public static final String CATEGORICAL = "categorical";
    public static final String EMPTY = "empty";

    public boolean numeric() {
        return NUMERIC.equals(type);
    }
}
