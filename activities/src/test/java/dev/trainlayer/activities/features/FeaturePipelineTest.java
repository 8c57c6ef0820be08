package dev.trainlayer.activities.features;

import dev.trainlayer.scoring.Matrix;

import dev.trainlayer.scoring.FittedPipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.spec.ColumnSpec;
import dev.trainlayer.workflows.spec.DerivedColumn;
import dev.trainlayer.workflows.spec.FeaturesSpec;
import dev.trainlayer.workflows.spec.Task;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturePipelineTest {
    static Table csv(String text) throws Exception {
        return Table.read(new StringReader(text));
    }

    static final String TRAIN = """
            age,plan,income,y
            20,basic,100,no
            30,pro,,yes
            ,basic,300,no
            50,basic,400,yes
            """;

    @Test
    void numericColumnsAreImputedAndScaledWithTrainingStatisticsOnly() throws Exception {
        FittedPipeline p = FeaturePipeline.fit(csv(TRAIN), "y", Task.CLASSIFICATION, List.of("no", "yes"), FeaturesSpec.EMPTY).pipeline();
        assertEquals(List.of("age", "plan=basic", "plan=pro", "income"), p.featureNames());
        FittedPipeline.FittedColumn age = p.columns().get(0);
        assertEquals(30.0, age.fill(), "median of 20, 30, 50");
        assertEquals((20 + 30 + 50) / 3.0, age.center(), 1e-12);
        // Rows seen later (a test row with an extreme value) do not move the statistics.
        Matrix test = p.transform(csv("age,plan,income,y\n1000,enterprise,100,yes\n"));
        assertEquals((1000 - age.center()) / age.scaleBy(), test.get(0, 0), 1e-4);
        assertEquals(0f, test.get(0, 1), "an unseen category encodes as all zeros");
        assertEquals(0f, test.get(0, 2));
        assertEquals(1f, test.labels()[0]);
    }

    @Test
    void missingValuesUseTheFittedFill() throws Exception {
        FittedPipeline p = FeaturePipeline.fit(csv(TRAIN), "y", Task.CLASSIFICATION, List.of("no", "yes"), FeaturesSpec.EMPTY).pipeline();
        Matrix m = p.transform(csv("age,plan,income,y\n,,NA,no\n"));
        assertEquals((30 - p.columns().get(0).center()) / p.columns().get(0).scaleBy(), m.get(0, 0), 1e-5);
        assertEquals(1f, m.get(0, 1), "missing category → most frequent (basic)");
    }

    @Test
    void columnOverridesAndDerivedColumns() throws Exception {
        FeaturesSpec spec = new FeaturesSpec(Map.of(
                "income", new ColumnSpec(null, ColumnSpec.Impute.CONSTANT, "0", ColumnSpec.Scale.MINMAX, true, null, null),
                "age", new ColumnSpec(null, null, null, null, null, List.of(25.0, 45.0), null)),
                List.of(new DerivedColumn("income_per_year", "income / age")), List.of("plan"));
        FittedPipeline p = FeaturePipeline.fit(csv(TRAIN), "y", Task.CLASSIFICATION, List.of("no", "yes"), spec).pipeline();
        assertEquals(List.of("age#bucket0", "age#bucket1", "age#bucket2", "income", "income_per_year"), p.featureNames());
        Matrix m = p.transform(csv("age,plan,income,y\n30,basic,,no\n"));
        assertEquals(0f, m.get(0, 0));
        assertEquals(1f, m.get(0, 1), "30 falls in [25, 45)");
        double min = Math.log1p(100), max = Math.log1p(400);
        assertEquals((Math.log1p(0) - min) / (max - min), m.get(0, 3), 1e-5, "constant fill 0, log1p, min-max from training rows");
    }

    @Test
    void uselessColumnsAreLeftOutWithAWarning() throws Exception {
        StringBuilder rows = new StringBuilder("id,const,x,y\n");
        for (int i = 0; i < 40; i++) {
            rows.append("user-").append(i).append(",same,").append(i % 7).append(',').append(i % 2).append('\n');
        }
        FeaturePipeline.Fit fit = FeaturePipeline.fit(csv(rows.toString()), "y", Task.CLASSIFICATION, List.of("0", "1"), FeaturesSpec.EMPTY);
        assertEquals(List.of("x"), fit.pipeline().featureNames());
        assertTrue(fit.warnings().stream().anyMatch(w -> w.contains("'id'") && w.contains("identifier")));
        assertTrue(fit.warnings().stream().anyMatch(w -> w.contains("'const'") && w.contains("constant")));
    }

    @Test
    void gatheringColumnsInSeveralPassesFitsTheSamePipeline() throws Exception {
        FeaturesSpec spec = new FeaturesSpec(Map.of("plan", new ColumnSpec(null, ColumnSpec.Impute.CONSTANT, "none", null, null, null, null)),
                List.of(new DerivedColumn("ratio", "income / max(age, 1)")), List.of());
        FeaturePipeline.Fit once = FeaturePipeline.fit(csv(TRAIN), "y", Task.CLASSIFICATION, List.of("no", "yes"), spec);
        for (long budget : new long[] {1, 4, 8, 9}) {
            FeaturePipeline.Fit passes = FeaturePipeline.fit(csv(TRAIN), "y", Task.CLASSIFICATION, List.of("no", "yes"), spec, budget);
            assertEquals(once.pipeline(), passes.pipeline(), "at most " + budget + " values per pass");
            assertEquals(once.warnings(), passes.warnings());
        }
    }
}
