package dev.trainlayer.activities;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.data.DataActivitiesImpl;
import dev.trainlayer.activities.evaluation.EvaluationActivitiesImpl;
import dev.trainlayer.activities.train.TrainingActivitiesImpl;
import dev.trainlayer.workflows.activity.EvaluateInput;
import dev.trainlayer.workflows.activity.FeaturesInput;
import dev.trainlayer.workflows.activity.FeaturesResult;
import dev.trainlayer.workflows.activity.ModelArtifacts;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.activity.TrialInput;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.activity.ValidateInput;
import dev.trainlayer.workflows.spec.ComputeSpec;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression on real data (the diabetes example, with a categorical override and a derived column):
 * both model families must explain a useful share of the held-out variance. R² ≥ 0.3 on an 88-row test
 * split, against ≈0.52 in-sample for least squares in the data's source paper.
 */
class RegressionPipelineTest {
    @TempDir
    Path dir;

    @Test
    void diabetesProgressionIsPredictedByBothModelFamilies() throws Exception {
        try (StoreFixture fixture = new StoreFixture(dir)) {
            String uri = fixture.upload("diabetes.csv", Path.of("..", "examples", "data", "diabetes.csv"));
            PipelineSpec spec = SpecParser.parse(Files.readString(Path.of("..", "examples", "diabetes.yaml"))
                    .replace("${DATA_URI}", uri)).withDefaults();
            DataActivitiesImpl data = new DataActivitiesImpl(fixture.store);
            SnapshotResult snapshot = data.snapshot(new SnapshotInput("reg", spec.name(), uri));
            data.validate(new ValidateInput("reg", spec, snapshot));
            FeaturesResult features = data.buildFeatures(new FeaturesInput("reg", spec, snapshot));
            assertTrue(features.featureNames().contains("sex=1") && features.featureNames().contains("bp_per_bmi"),
                    features.featureNames()::toString);
            assertTrue(features.classes().isEmpty());
            TrainingActivitiesImpl training = new TrainingActivitiesImpl(fixture.store);
            EvaluationActivitiesImpl evaluation = new EvaluationActivitiesImpl(fixture.store);
            for (ModelCandidate candidate : spec.models()) {
                TrialResult trial = training.trainTrial(new TrialInput("reg", candidate.name(), candidate, spec.task(),
                        spec.metric(), features, spec.seedOrDefault(), ComputeSpec.Device.CPU));
                Map<String, Double> test = evaluation.evaluate(new EvaluateInput("reg", spec.task(), spec.target(),
                        features.testRaw(), new ModelArtifacts(candidate.type(), trial.model(), features.pipeline()), null))
                        .challenger();
                assertTrue(test.get("r2") >= 0.3, candidate.name() + " test metrics " + test);
            }
        }
    }
}
