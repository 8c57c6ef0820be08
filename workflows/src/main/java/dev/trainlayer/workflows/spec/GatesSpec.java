package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quality gates a challenger must pass before it may become champion.
 *
 * @param min                 metric → lowest acceptable test value (e.g. {@code accuracy: 0.9})
 * @param max                 metric → highest acceptable test value (e.g. {@code log_loss: 0.3})
 * @param maxDropVsChampion   the primary metric may be at most this much worse than the champion's
 *                            on the same test rows; absent means "must not be worse at all" only when
 *                            {@code requireChampionImprovement} is true, else no relative gate
 * @param requireChampionImprovement the challenger must beat the champion on the primary metric — significantly,
 *                            when {@code significance} is set
 * @param significance        a paired test of challenger vs champion on the same test rows: its p-value and confidence
 *                            interval go on the run and the model card, and {@code requireChampionImprovement} then asks
 *                            for a significant improvement
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatesSpec(
        Map<String, Double> min,
        Map<String, Double> max,
        Double maxDropVsChampion,
        Boolean requireChampionImprovement,
        Significance significance) {

    public static final GatesSpec NONE = new GatesSpec(null, null, null, null);

    public GatesSpec(Map<String, Double> min, Map<String, Double> max, Double maxDropVsChampion, Boolean requireChampionImprovement) {
        this(min, max, maxDropVsChampion, requireChampionImprovement, null);
    }

    /**
     * @param test      {@code bootstrap} (any metric: a paired bootstrap of the primary metric's improvement) or
     *                  {@code mcnemar} (classification: McNemar's exact test on the rows the two models disagree on)
     * @param alpha     significance level, default 0.05
     * @param resamples bootstrap resamples, default 1000
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Significance(String test, Double alpha, Integer resamples) {
        public static final String BOOTSTRAP = "bootstrap";
        public static final String MCNEMAR = "mcnemar";

        public Significance withDefaults() {
            return new Significance(test == null ? BOOTSTRAP : test.toLowerCase(java.util.Locale.ROOT),
                    alpha == null ? 0.05 : alpha, resamples == null ? 1000 : resamples);
        }
    }

    public GatesSpec {
        min = min == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(min));
        max = max == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(max));
    }

    GatesSpec withDefaults() {
        return new GatesSpec(min, max, maxDropVsChampion,
                requireChampionImprovement != null && requireChampionImprovement,
                significance == null ? null : significance.withDefaults());
    }
}
