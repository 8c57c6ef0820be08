package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * Per-column overrides. Absent fields mean "infer / use the default for the column's type".
 *
 * @param type          numeric or categorical; inferred from the data when absent
 * @param impute        how missing values are filled (fitted on the training split only)
 * @param fill          the value for {@code impute: constant}
 * @param scale         standardize, minmax or none (numeric columns)
 * @param log1p         apply {@code log(1 + x)} before scaling (numeric, non-negative columns)
 * @param buckets       ascending boundaries: the column becomes one-hot bucket indicators
 * @param maxCategories categorical columns keep their most frequent values, the rest become "other"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSpec(
        ColumnType type,
        Impute impute,
        String fill,
        Scale scale,
        Boolean log1p,
        List<Double> buckets,
        Integer maxCategories) {

    public ColumnSpec {
        buckets = buckets == null ? null : List.copyOf(buckets);
    }

    public enum ColumnType {
        NUMERIC, CATEGORICAL;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static ColumnType parse(String value) {
            return Enums.parse(ColumnType.class, value);
        }
    }

    public enum Impute {
        MEAN, MEDIAN, MOST_FREQUENT, CONSTANT;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Impute parse(String value) {
            return Enums.parse(Impute.class, value);
        }
    }

    public enum Scale {
        STANDARDIZE, MINMAX, NONE;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Scale parse(String value) {
            return Enums.parse(Scale.class, value);
        }
    }
}
