package dev.trainlayer.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three classes on real data (UCI wine, 178 rows): softmax MLP and multi:softprob XGBoost must both
 * separate the cultivars on held-out rows (≥ 0.85 accuracy on 36 rows; about 0.95 is typical).
 */
class MulticlassPipelineTest {
    @TempDir
    Path dir;

    @Test
    void threeCultivarsAreTellableApart() throws Exception {
        try (StoreFixture fixture = new StoreFixture(dir)) {
            String uri = fixture.upload("wine.csv", Path.of("..", "examples", "data", "wine.csv"));
            PipelineSpec spec = SpecParser.parse("name: wine\ntask: classification\ntarget: cultivar\ndata: {uri: \"" + uri
                    + "\"}\nmetric: accuracy\n").withDefaults();
            DataActivitiesImpl data = new DataActivitiesImpl(fixture.store);
            SnapshotResult snapshot = data.snapshot(new SnapshotInput("mc", spec.name(), uri));
            assertEquals(List.of("cultivar_0", "cultivar_1", "cultivar_2"),
                    data.validate(new ValidateInput("mc", spec, snapshot)).classes());
            FeaturesResult features = data.buildFeatures(new FeaturesInput("mc", spec, snapshot));
            TrainingActivitiesImpl training = new TrainingActivitiesImpl(fixture.store);
            EvaluationActivitiesImpl evaluation = new EvaluationActivitiesImpl(fixture.store);
            for (ModelCandidate candidate : spec.models()) {
                TrialResult trial = training.trainTrial(new TrialInput("mc", candidate.name(), candidate, spec.task(),
                        spec.metric(), features, spec.seedOrDefault(), ComputeSpec.Device.CPU));
                Map<String, Double> test = evaluation.evaluate(new EvaluateInput("mc", spec.task(), spec.target(),
                        features.testRaw(), new ModelArtifacts(candidate.type(), trial.model(), features.pipeline()), null))
                        .challenger();
                assertTrue(test.get("accuracy") >= 0.85, candidate.name() + " test metrics " + test);
                assertTrue(test.get("roc_auc") >= 0.9 && test.get("log_loss") < 0.7, candidate.name() + " test metrics " + test);
            }
        }
    }
}
