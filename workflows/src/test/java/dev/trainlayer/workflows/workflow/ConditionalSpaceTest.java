package dev.trainlayer.workflows.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.workflows.activity.SearchDimension;
import dev.trainlayer.workflows.spec.InvalidSpecException;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.spec.SpecValidator;
import dev.trainlayer.workflows.spec.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionalSpaceTest {
    static final String HEAD = "name: p\ntask: classification\ntarget: y\ndata: {uri: \"s3://bucket/d.csv\"}\nsearch: {}\n";

    @Test
    void layersAndUnitsBecomeOneWidthPerPossibleLayerAndOnlyTheActiveOnesAreUsed() {
        PipelineSpec spec = SpecParser.parse(HEAD + """
                models:
                  - type: mlp
                    space:
                      layers: {low: 1, high: 3}
                      units: {low: 16, high: 256, log: true}
                      learningRate: {low: 0.0001, high: 0.01, log: true}
                """).withDefaults();
        assertTrue(SpecValidator.standard().validate(spec).isEmpty());
        List<String> names = SearchWorkflowImpl.dimensions(spec.models()).stream().map(SearchDimension::name).toList();
        assertEquals(List.of("mlp.layers", "mlp.learningRate", "mlp.units1", "mlp.units2", "mlp.units3"), names);
        assertTrue(SearchWorkflowImpl.dimensions(spec.models()).stream().filter(d -> d.name().startsWith("mlp.units"))
                .allMatch(SearchDimension::integer));

        ModelCandidate two = SearchWorkflowImpl.candidateFor(spec.models(), Map.of("mlp.layers", 2, "mlp.units1", 128,
                "mlp.units2", 32, "mlp.units3", 200, "mlp.learningRate", 0.001));
        assertEquals(List.of(128, 32), two.params().get("hiddenLayers"), "the third width is inactive");
        assertFalse(two.params().containsKey("layers"));
        assertFalse(two.params().keySet().stream().anyMatch(k -> k.startsWith("units")));
        assertEquals(0.001, two.params().get("learningRate"));
    }

    static List<Violation> violations(String text) {
        try {
            SpecParser.parse(text);
            return List.of();
        } catch (InvalidSpecException e) {
            return e.violations();
        }
    }

    @Test
    void unitsWithoutLayersOrBesideHiddenLayersIsRejectedWithItsPath() {
        List<Violation> alone = violations(HEAD + """
                models: [{type: mlp, space: {units: {low: 16, high: 64}}}]
                """);
        assertEquals("models[0].space.units", alone.get(0).path());
        List<Violation> both = violations(HEAD + """
                models: [{type: mlp, space: {layers: {low: 1, high: 2}, units: {low: 16, high: 64}, hiddenLayers: {choices: [[8], [16]]}}}]
                """);
        assertEquals("models[0].space.hiddenLayers", both.get(0).path());
        List<Violation> tooDeep = violations(HEAD + """
                models: [{type: mlp, space: {layers: {low: 1, high: 12}, units: {low: 16, high: 64}}}]
                """);
        assertEquals("models[0].space.layers", tooDeep.get(0).path());
        List<Violation> xgb = violations(HEAD + """
                models: [{type: xgboost, space: {layers: {low: 1, high: 2}}}]
                """);
        assertTrue(xgb.stream().anyMatch(v -> v.path().equals("models[0].space.layers")), xgb::toString);
    }
}
