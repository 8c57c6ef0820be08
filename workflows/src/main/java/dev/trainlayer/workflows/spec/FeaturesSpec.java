package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feature engineering. Every input column that is not the target or excluded is used; its type is
 * inferred from the data unless {@code columns} says otherwise. Numeric columns default to median
 * imputation and standardization, categorical ones to most-frequent imputation and one-hot encoding.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeaturesSpec(Map<String, ColumnSpec> columns, List<DerivedColumn> derived, List<String> exclude) {

    public static final FeaturesSpec EMPTY = new FeaturesSpec(Map.of(), List.of(), List.of());

    public FeaturesSpec {
        columns = columns == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        derived = derived == null ? List.of() : List.copyOf(derived);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    FeaturesSpec withDefaults() {
        return this;
    }
}
