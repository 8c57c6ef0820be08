package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Evaluation metrics. Each knows its task and whether larger is better. */
public enum Metric {
    ACCURACY(Task.CLASSIFICATION, true),
    F1(Task.CLASSIFICATION, true),
    ROC_AUC(Task.CLASSIFICATION, true),
    LOG_LOSS(Task.CLASSIFICATION, false),
    RMSE(Task.REGRESSION, false),
    MAE(Task.REGRESSION, false),
    R2(Task.REGRESSION, true);

    private final Task task;
    private final boolean higherIsBetter;

    Metric(Task task, boolean higherIsBetter) {
        this.task = task;
        this.higherIsBetter = higherIsBetter;
    }

    public Task task() {
        return task;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** True when {@code candidate} is strictly better than {@code incumbent} for this metric. */
    public boolean better(double candidate, double incumbent) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(incumbent)) {
            return true;
        }
        return higherIsBetter ? candidate > incumbent : candidate < incumbent;
    }

    /** How much worse {@code candidate} is than {@code reference}; negative when it is better. */
    public double drop(double candidate, double reference) {
        return higherIsBetter ? reference - candidate : candidate - reference;
    }

    public static Metric defaultFor(Task task) {
        return task == Task.REGRESSION ? RMSE : ROC_AUC;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Metric parse(String value) {
        return Enums.parse(Metric.class, value);
    }
}
