package dev.trainlayer.workflows.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainlayer.workflows.spec.Durations;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline's retrain triggers ({@code PUT /api/v1/pipelines/{name}/triggers}): the monitor workflow checks every
 * {@code checkEvery} and starts a run of {@code spec} when any set condition holds — at least {@code minNewLabels}
 * feedback rows the champion has not been trained on, a column's drift (PSI) at or above {@code maxDrift}, or the
 * champion's live metric worse than {@code minLiveMetric} over at least {@code minLabels} labels — no sooner than
 * {@code cooldown} after the last run it started, and never while that run is still going. {@code autoRollback}
 * moves the champion back when its live metric falls below the previous champion's recorded one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerConfig(
        PipelineSpec spec,
        Integer minNewLabels,
        Double maxDrift,
        Double minLiveMetric,
        String cooldown,
        String checkEvery,
        Integer minLabels,
        String window,
        AutoRollback autoRollback) {

    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(1);
    public static final Duration DEFAULT_CHECK_EVERY = Duration.ofMinutes(5);
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    public static final int DEFAULT_MIN_LABELS = 30;

    /**
     * Roll the champion back when, over at least {@code minLabels} labels it was not trained on, its live metric is
     * worse than the previous champion's recorded test metric by more than {@code margin}, or worse than {@code floor}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AutoRollback(Integer minLabels, Double margin, Double floor) {
        public int minLabelsOrDefault() {
            return minLabels == null ? DEFAULT_MIN_LABELS : minLabels;
        }

        public double marginOrDefault() {
            return margin == null ? 0.05 : margin;
        }
    }

    public Duration cooldownDuration() {
        return cooldown == null ? DEFAULT_COOLDOWN : Durations.parse(cooldown);
    }

    public Duration checkEveryDuration() {
        return checkEvery == null ? DEFAULT_CHECK_EVERY : Durations.parse(checkEvery);
    }

    public Duration windowDuration() {
        return window == null ? DEFAULT_WINDOW : Durations.parse(window);
    }

    public int minLabelsOrDefault() {
        return minLabels == null ? DEFAULT_MIN_LABELS : minLabels;
    }

    /** Whether any condition starts runs (a trigger may also only watch and roll back). */
    public boolean retrains() {
        return minNewLabels != null || maxDrift != null || minLiveMetric != null;
    }

    /** What is wrong with the settings (the spec is checked on its own), each naming its field. */
    public List<Violation> violations() {
        List<Violation> v = new ArrayList<>();
        if (spec == null) {
            v.add(new Violation("spec", "is required: the pipeline spec the triggered runs use"));
        }
        if (minNewLabels != null && minNewLabels < 1) {
            v.add(new Violation("minNewLabels", "must be 1 or more, got " + minNewLabels));
        }
        if (maxDrift != null && !(maxDrift > 0)) {
            v.add(new Violation("maxDrift", "must be a PSI above 0 (0.1 moderate, 0.25 major shift), got " + maxDrift));
        }
        if (minLabels != null && minLabels < 1) {
            v.add(new Violation("minLabels", "must be 1 or more, got " + minLabels));
        }
        duration(v, "cooldown", cooldown, Duration.ZERO, Duration.ofDays(366));
        duration(v, "checkEvery", checkEvery, Duration.ofSeconds(1), Duration.ofDays(7));
        duration(v, "window", window, Duration.ofMinutes(1), Duration.ofDays(366));
        if (autoRollback != null) {
            if (autoRollback.minLabels() != null && autoRollback.minLabels() < 1) {
                v.add(new Violation("autoRollback.minLabels", "must be 1 or more, got " + autoRollback.minLabels()));
            }
            if (autoRollback.margin() != null && !(autoRollback.margin() >= 0)) {
                v.add(new Violation("autoRollback.margin", "must be 0 or more, got " + autoRollback.margin()));
            }
        }
        if (!retrains() && autoRollback == null) {
            v.add(new Violation("minNewLabels", "set at least one of minNewLabels, maxDrift, minLiveMetric or autoRollback"));
        }
        return v;
    }

    private static void duration(List<Violation> v, String field, String text, Duration min, Duration max) {
        if (text == null) {
            return;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                v.add(new Violation(field, "must be between " + min + " and " + max + ", got " + text));
            }
        } catch (IllegalArgumentException e) {
            v.add(new Violation(field, e.getMessage()));
        }
    }
}
