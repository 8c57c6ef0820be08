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
 * @param requireChampionImprovement the challenger must beat the champion on the primary metric
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatesSpec(
        Map<String, Double> min,
        Map<String, Double> max,
        Double maxDropVsChampion,
        Boolean requireChampionImprovement) {

    public static final GatesSpec NONE = new GatesSpec(null, null, null, null);

    public GatesSpec {
        min = min == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(min));
        max = max == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(max));
    }

    GatesSpec withDefaults() {
        return new GatesSpec(min, max, maxDropVsChampion,
                requireChampionImprovement != null && requireChampionImprovement);
    }
}
