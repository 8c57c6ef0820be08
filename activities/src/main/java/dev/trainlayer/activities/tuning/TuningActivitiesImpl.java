package dev.trainlayer.activities.tuning;

import dev.trainlayer.workflows.activity.SearchDimension;
import dev.trainlayer.workflows.activity.SearchObservation;
import dev.trainlayer.workflows.activity.SuggestInput;
import dev.trainlayer.workflows.activity.SuggestResult;
import dev.trainlayer.workflows.activity.TuningActivities;
import dev.trainlayer.workflows.spec.ParamRange;
import dev.trainlayer.workflows.spec.SearchSpec;
import java.util.List;
import java.util.Map;

/** Builds the search space from the workflow's flat dimensions and asks the chosen optimizer. */
public class TuningActivitiesImpl implements TuningActivities {

    @Override
    public SuggestResult suggest(SuggestInput input) {
        SearchSpace space = space(input.dimensions());
        List<Observation> observed = input.observations().stream()
                .map(o -> new Observation(o.config(), o.value())).toList();
        if (input.algorithm() == SearchSpec.Algorithm.RANDOM) {
            return new SuggestResult(new RandomSearch(space, input.seed()).suggest(observed, input.pending(), input.count()), Map.of());
        }
        BayesianOptimizer optimizer = new BayesianOptimizer(space, input.seed());
        List<Map<String, Object>> configs = optimizer.suggest(observed, input.pending(), input.count());
        return new SuggestResult(configs, optimizer.importance(observed));
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
