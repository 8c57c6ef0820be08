package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What the model predicts: a class label or a number. */
public enum Task {
    CLASSIFICATION,
    REGRESSION;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static Task parse(String value) {
        return Enums.parse(Task.class, value);
    }
}
