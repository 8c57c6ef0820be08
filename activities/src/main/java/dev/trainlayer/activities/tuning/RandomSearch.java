package dev.trainlayer.activities.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/** Uniform random search over the space: the baseline every smarter algorithm must beat. */
public final class RandomSearch implements Optimizer {
    private final SearchSpace space;
    private final long seed;
    private final Predicate<Map<String, Object>> allowed;

    public RandomSearch(SearchSpace space, long seed) {
        this(space, seed, config -> true);
    }

    /** Random search over the configurations {@code allowed} accepts (rejection sampling, still seeded per trial). */
    public RandomSearch(SearchSpace space, long seed, Predicate<Map<String, Object>> allowed) {
        this.space = space;
        this.seed = seed;
        this.allowed = allowed;
    }

    @Override
    public List<Map<String, Object>> suggest(List<Observation> observed, List<Map<String, Object>> pending, int count) {
        // The n-th suggestion depends only on the seed and n, whatever the batch boundaries were.
        int start = observed.size() + pending.size();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Random random = new Random(Seeds.derive(seed, start + i));
            Map<String, Object> config = space.sample(random);
            for (int tries = 0; !allowed.test(config) && tries < 4096; tries++) {
                config = space.sample(random);
            }
            out.add(config);
        }
        return out;
    }
}
