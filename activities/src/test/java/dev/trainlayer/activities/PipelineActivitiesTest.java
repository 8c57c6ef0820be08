package dev.trainlayer.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.data.DataActivitiesImpl;
import dev.trainlayer.activities.evaluation.EvaluationActivitiesImpl;
import dev.trainlayer.activities.train.TrainingActivitiesImpl;
import dev.trainlayer.workflows.activity.EvaluateInput;
import dev.trainlayer.workflows.activity.EvaluationResult;
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
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data → features → train → evaluate path on real data, a real S3 server, real DJL and XGBoost. */
class PipelineActivitiesTest {
    @TempDir
    static Path dir;
    static StoreFixture fixture;
    static PipelineSpec spec;
    static SnapshotResult snapshot;
    static FeaturesResult features;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new StoreFixture(dir);
        String uri = fixture.upload("bc/breast_cancer.csv", StoreFixture.BREAST_CANCER);
        spec = SpecParser.parse("""
                name: breast-cancer
                task: classification
                target: diagnosis
                data: {uri: %s}
                metric: roc_auc
                """.formatted(uri)).withDefaults();
        DataActivitiesImpl data = new DataActivitiesImpl(fixture.store);
        snapshot = data.snapshot(new SnapshotInput("run-1", spec.name(), uri));
        data.validate(new ValidateInput("run-1", spec, snapshot));
        features = data.buildFeatures(new FeaturesInput("run-1", spec, snapshot));
    }

    @AfterAll
    static void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void snapshotIsContentAddressed() {
        assertEquals(569, snapshot.rows());
        assertEquals(31, snapshot.columns());
        assertEquals(64, snapshot.sha256().length());
        assertTrue(snapshot.data().key().contains(snapshot.sha256()));
        assertEquals(30, features.featureCount());
        assertEquals(569, features.trainRows() + features.validationRows() + features.testRows());
    }

    @Test
    void mlpAndXgboostTrainAndScoreWellOnTheTestRows() {
        TrainingActivitiesImpl training = new TrainingActivitiesImpl(fixture.store);
        EvaluationActivitiesImpl evaluation = new EvaluationActivitiesImpl(fixture.store);
        for (ModelType type : ModelType.values()) {
            ModelCandidate candidate = new ModelCandidate(type, null, Map.of()).withDefaults();
            TrialResult trial = training.trainTrial(new TrialInput("run-1", "t-" + type.wire(), candidate, spec.task(),
                    spec.metric(), features, 7, ComputeSpec.Device.AUTO));
            assertTrue(trial.completed());
            assertTrue(trial.objective() > 0.95, type + " validation roc_auc " + trial.objective());
            EvaluationResult scores = evaluation.evaluate(new EvaluateInput("run-1", spec.task(), spec.target(),
                    features.testRaw(), new ModelArtifacts(type, trial.model(), features.pipeline()), null));
            assertTrue(scores.challenger().get("accuracy") > 0.9, type + " test accuracy " + scores.challenger());
        }
    }
}
