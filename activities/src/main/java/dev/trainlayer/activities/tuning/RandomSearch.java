package dev.trainlayer.activities.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Uniform random search over the space: the baseline every smarter algorithm must beat. */
public final class RandomSearch implements Optimizer {
    private final SearchSpace space;
    private final long seed;

    public RandomSearch(SearchSpace space, long seed) {
        this.space = space;
        this.seed = seed;
    }

    @Override
    public List<Map<String, Object>> suggest(List<Observation> observed, List<Map<String, Object>> pending, int count) {
        // The n-th suggestion depends only on the seed and n, whatever the batch boundaries were.
        int start = observed.size() + pending.size();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(space.sample(new Random(Seeds.derive(seed, start + i))));
        }
        return out;
    }
}
