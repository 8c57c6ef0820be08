package dev.trainlayer.workflows.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Lenient, lower-case wire names for spec enums, with an error that lists what is allowed. */
final class Enums {
    private Enums() {}

    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(normalized)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + allowed(type));
    }

    static <E extends Enum<E>> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
