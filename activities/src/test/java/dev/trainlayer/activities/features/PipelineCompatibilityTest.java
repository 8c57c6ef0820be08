package dev.trainlayer.activities.features;

import dev.trainlayer.scoring.FittedPipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.workflows.spec.DerivedColumn;
import dev.trainlayer.workflows.spec.FeaturesSpec;
import dev.trainlayer.workflows.spec.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineCompatibilityTest {
    static final List<String> CLASSES = List.of("no", "yes");

    static FittedPipeline fit(String csv, FeaturesSpec spec) throws Exception {
        return FeaturePipeline.fit(FeaturePipelineTest.csv(csv), "y", Task.CLASSIFICATION, CLASSES, spec).pipeline();
    }

    static final String BEFORE = """
            age,plan,income,y
            20,basic,100,no
            30,pro,200,yes
            40,basic,300,no
            50,pro,400,yes
            """;

    @Test
    void sameColumnsWithOtherValuesAreCompatible() throws Exception {
        FittedPipeline earlier = fit(BEFORE, FeaturesSpec.EMPTY);
        FittedPipeline fresh = fit("age,plan,income,y\n25,basic,900,no\n35,pro,800,yes\n45,pro,700,no\n", FeaturesSpec.EMPTY);
        PipelineCompatibility.Verdict v = PipelineCompatibility.check(earlier, fresh, CLASSES);
        assertTrue(v.compatible(), () -> v.refusals().toString());
        assertEquals(List.of(), v.notes());
    }

    @Test
    void newCategoriesAreReportedNotRefused() throws Exception {
        FittedPipeline earlier = fit(BEFORE, FeaturesSpec.EMPTY);
        FittedPipeline fresh = fit("age,plan,income,y\n25,basic,900,no\n35,enterprise,800,yes\n45,pro,700,no\n", FeaturesSpec.EMPTY);
        PipelineCompatibility.Verdict v = PipelineCompatibility.check(earlier, fresh, CLASSES);
        assertTrue(v.compatible());
        assertEquals(1, v.notes().size());
        assertTrue(v.notes().get(0).contains("'plan'") && v.notes().get(0).contains("[enterprise]"), v.notes().get(0));
    }

    @Test
    void addedRemovedOrRetypedColumnsRefuse() throws Exception {
        FittedPipeline earlier = fit(BEFORE, FeaturesSpec.EMPTY);
        FittedPipeline fresh = fit("""
                age,plan,tenure,y
                25,basic,3,no
                35,pro,4,yes
                """, FeaturesSpec.EMPTY);
        List<String> refusals = PipelineCompatibility.check(earlier, fresh, CLASSES).refusals();
        assertTrue(refusals.contains("new input column(s) [tenure] (a model continued from the old encoding could not use them)"),
                refusals::toString);
        assertTrue(refusals.contains("input column(s) [income] are gone"), refusals::toString);

        FittedPipeline retyped = fit("age,plan,income,y\nyoung,basic,1,no\nold,pro,2,yes\n", FeaturesSpec.EMPTY);
        List<String> kinds = PipelineCompatibility.check(earlier, retyped, CLASSES).refusals();
        assertEquals(List.of("column 'age' is now categorical (was numeric)"), kinds);
    }

    @Test
    void newLabelClassesAndChangedDerivedColumnsRefuse() throws Exception {
        FittedPipeline earlier = fit(BEFORE, FeaturesSpec.EMPTY);
        assertEquals(List.of("label class(es) [maybe] are new; the model knows [no, yes]"),
                PipelineCompatibility.check(earlier, earlier, List.of("no", "maybe")).refusals());
        FeaturesSpec derived = new FeaturesSpec(Map.of(), List.of(new DerivedColumn("per_year", "income / age")), List.of());
        FittedPipeline withDerived = fit(BEFORE, derived);
        PipelineCompatibility.Verdict v = PipelineCompatibility.check(earlier, withDerived, CLASSES);
        assertFalse(v.compatible());
        assertTrue(v.refusals().contains("features.derived changed"), v.refusals()::toString);
    }
}
