package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How one parameter is searched: a numeric range ({@code low}, {@code high}, optional {@code log}; whole
 * numbers for integer parameters) or a list of {@code choices} (any values, e.g. layer lists).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParamRange(Double low, Double high, Boolean log, List<Object> choices) {
    public ParamRange {
        choices = choices == null ? null : List.copyOf(choices);
    }

    public static ParamRange range(double low, double high, boolean log) {
        return new ParamRange(low, high, log, null);
    }

    public static ParamRange choices(Object... choices) {
        return new ParamRange(null, null, null, List.of(choices));
    }

    public boolean categorical() {
        return choices != null;
    }
}
