package dev.trainlayer.workflows.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.trainlayer.workflows.activity.SearchDimension;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a search starts: each candidate's own parameters, placed in the space the search uses. */
class SearchStartsTest {
    static final String HEAD = "name: p\ntask: regression\ntarget: y\ndata: {uri: \"s3://bucket/d.csv\"}\nsearch: {}\n";

    @Test
    void theDefaultFamiliesStartFromTheirDefaultsInTheSpecsOrder() {
        PipelineSpec spec = SpecParser.parse(HEAD).withDefaults();
        List<SearchDimension> dimensions = SearchWorkflowImpl.dimensions(spec.models(), 15_600, ModelType.SCALING_STEPS_25_TO_200);
        List<Map<String, Object>> starts = SearchWorkflowImpl.starts(spec.models(), dimensions);
        assertEquals(PipelineSpec.DEFAULT_FAMILIES.stream().map(ModelType::wire).toList(),
                starts.stream().map(s -> s.get(SearchDimension.CANDIDATE)).toList());
        Map<String, Object> xgboost = starts.get(0);
        assertEquals(6L, xgboost.get("xgboost.maxDepth"));
        assertEquals(0.1, xgboost.get("xgboost.eta"));
        assertEquals(7, xgboost.size(), "the candidate and its six searched parameters: " + xgboost);
        Map<String, Object> mlp = starts.get(1);
        assertEquals(List.of(64, 32), mlp.get("mlp.hiddenLayers"));
        assertEquals(1e-3, mlp.get("mlp.learningRate"));
        assertEquals(256, mlp.get("mlp.batchSize"), "the default 32 is not offered at 15,600 rows: the middle of 64…512");
        assertEquals(10L, starts.get(3).get("forest.maxDepth"));
    }

    @Test
    void fixedParametersAreKeptAndClampedIntoTheSpaceAndUnsetConditionalWidthsAreLeftToTheOptimizer() {
        PipelineSpec spec = SpecParser.parse(HEAD + """
                models:
                  - type: mlp
                    params: {learningRate: 0.5, batchSize: 64}
                    space:
                      layers: {low: 1, high: 3}
                      units: {low: 16, high: 256, log: true}
                      learningRate: {low: 0.0001, high: 0.01, log: true}
                      batchSize: {choices: [32, 64, 128]}
                """).withDefaults();
        List<SearchDimension> dimensions = SearchWorkflowImpl.dimensions(spec.models(), 15_600, ModelType.SCALING_STEPS_25_TO_200);
        List<Map<String, Object>> starts = SearchWorkflowImpl.starts(spec.models(), dimensions);
        assertEquals(1, starts.size());
        Map<String, Object> start = starts.get(0);
        assertFalse(start.containsKey(SearchDimension.CANDIDATE), "one candidate: no candidate dimension");
        assertEquals(0.01, start.get("mlp.learningRate"), "0.5 clamped to the range's top");
        assertEquals(64, start.get("mlp.batchSize"));
        assertFalse(start.containsKey("mlp.layers"));
        assertFalse(start.containsKey("mlp.units1"));
        ModelCandidate c = SearchWorkflowImpl.candidateFor(spec.models(), Map.of("mlp.layers", 1, "mlp.units1", 40,
                "mlp.units2", 40, "mlp.units3", 40, "mlp.learningRate", start.get("mlp.learningRate"), "mlp.batchSize", 64));
        assertEquals(List.of(40), c.params().get("hiddenLayers"));
    }

    @Test
    void earlierTrialsOutsideTodaysSpaceAreNotPriors() {
        PipelineSpec spec = SpecParser.parse(HEAD + "models:\n  - type: mlp\n").withDefaults();
        List<SearchDimension> now = SearchWorkflowImpl.dimensions(spec.models(), 15_600, ModelType.SCALING_STEPS_25_TO_200);
        Map<String, Object> prior = new java.util.HashMap<>(Map.of("mlp.learningRate", 5e-4, "mlp.weightDecay", 1e-4,
                "mlp.dropout", 0.1, "mlp.hiddenLayers", List.of(64, 32), "mlp.batchSize", 128));
        assertEquals(true, SearchWorkflowImpl.fits(now, prior));
        prior.put("mlp.learningRate", 1.5e-4);
        assertFalse(SearchWorkflowImpl.fits(now, prior), "below today's learning-rate floor");
        assertEquals(true, SearchWorkflowImpl.fits(SearchWorkflowImpl.dimensions(spec.models(), 15_600,
                ModelType.SCALING_STEPS_50_TO_500), java.util.Map.of("mlp.learningRate", 1.5e-4, "mlp.weightDecay", 1e-4,
                "mlp.dropout", 0.1, "mlp.hiddenLayers", List.of(64, 32), "mlp.batchSize", 128)), "a search under the first scaling");
        prior.put("mlp.learningRate", 5e-4);
        prior.put("mlp.batchSize", 16);
        assertFalse(SearchWorkflowImpl.fits(now, prior), "a batch size today's space does not offer");
    }
}
