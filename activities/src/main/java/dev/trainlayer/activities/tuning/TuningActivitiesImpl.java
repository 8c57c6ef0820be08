package dev.trainlayer.activities.tuning;

import dev.trainlayer.activities.Liveness;
import dev.trainlayer.activities.Json;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.PriorsInput;
import dev.trainlayer.workflows.activity.RecordObservationsInput;
import dev.trainlayer.workflows.activity.SearchDimension;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.activity.SearchObservation;
import dev.trainlayer.workflows.activity.SuggestInput;
import dev.trainlayer.workflows.activity.SuggestResult;
import dev.trainlayer.workflows.activity.TuningActivities;
import dev.trainlayer.workflows.spec.ParamRange;
import dev.trainlayer.workflows.spec.SearchSpec;
import java.util.List;
import java.util.Map;

/**
 * Builds the search space from the workflow's flat dimensions and asks the chosen optimizer; keeps each
 * search's observations with its run and hands matching ones to later runs (warm start).
 */
public class TuningActivitiesImpl implements TuningActivities {
    /** Enough history to shape the model without making every suggestion slow. */
    static final int MAX_PRIORS = 150;

    private final ObjectStore store;

    public TuningActivitiesImpl(ObjectStore store) {
        this.store = store;
    }

    /** What a run keeps: the hashes that say which later searches its observations are valid for. */
    public record Recorded(String spaceHash, String schemaHash, List<SearchObservation> observations) {}

    @Override
    public List<SearchObservation> priors(PriorsInput input) {
        List<String> keys = new java.util.ArrayList<>(store.list(Keys.searches(input.pipeline())));
        java.util.Collections.reverse(keys); // run ids start with their start time: newest first
        List<SearchObservation> out = new java.util.ArrayList<>();
        for (String key : keys) {
            String runId = key.substring(key.lastIndexOf('/') + 1).replace(".json", "");
            if (runId.equals(input.runId()) || out.size() >= MAX_PRIORS) {
                continue;
            }
            try {
                Recorded r = Json.read(store.getBytes(store.bucket(), key), Recorded.class);
                if (r.spaceHash().equals(input.spaceHash()) && r.schemaHash().equals(input.schemaHash())) {
                    out.addAll(r.observations().subList(0, Math.min(r.observations().size(), MAX_PRIORS - out.size())));
                }
            } catch (ObjectNotFoundException e) {
                // a run without a search, or one still searching
            }
        }
        return out;
    }

    @Override
    public void recordObservations(RecordObservationsInput input) {
        store.putBytes(Keys.searchObservations(input.pipeline(), input.runId()),
                Json.bytes(new Recorded(input.spaceHash(), input.schemaHash(), input.observations())), "application/json");
    }

    @Override
    public SuggestResult suggest(SuggestInput input) {
        try (Liveness alive = Liveness.start()) {
            return suggestBody(input);
        }
    }

    private SuggestResult suggestBody(SuggestInput input) {
        SearchSpace space = space(input.dimensions());
        List<Observation> observed = input.observations().stream()
                .map(o -> new Observation(o.config(), o.value(), o.cost())).toList();
        java.util.Set<String> retired = input.retired() == null ? java.util.Set.of() : java.util.Set.copyOf(input.retired());
        java.util.function.Predicate<Map<String, Object>> allowed = config -> retired.isEmpty()
                || !retired.contains(String.valueOf(config.get(SearchDimension.CANDIDATE)));
        if (input.algorithm() == SearchSpec.Algorithm.RANDOM) {
            return new SuggestResult(new RandomSearch(space, input.seed(), allowed).suggest(observed, input.pending(), input.count()),
                    Map.of());
        }
        BayesianOptimizer optimizer = new BayesianOptimizer(space, input.seed())
                .withBudget(allowed, input.costWeight() == null ? 0 : input.costWeight())
                .withStarts(input.starts())
                .withFits(input.fits());
        List<Map<String, Object>> configs = optimizer.suggest(observed, input.pending(), input.count());
        return new SuggestResult(configs, optimizer.importance(observed), optimizer.fits());
    }

    static SearchSpace space(List<SearchDimension> dimensions) {
        return new SearchSpace(dimensions.stream().map(TuningActivitiesImpl::dimension).toList());
    }

    static Dimension dimension(SearchDimension d) {
        ParamRange r = d.range();
        if (r.categorical()) {
            return new Dimension.Categorical(d.name(), r.choices());
        }
        boolean log = Boolean.TRUE.equals(r.log());
        if (d.integer()) {
            return new Dimension.Int(d.name(), Math.round(r.low()), Math.round(r.high()), log);
        }
        return new Dimension.Float(d.name(), r.low(), r.high(), log);
    }
}
