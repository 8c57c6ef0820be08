package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.activities.data.DataActivitiesImpl;
import dev.trainlayer.workflows.activity.FeaturesInput;
import dev.trainlayer.workflows.activity.FeaturesResult;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.activity.TrainingActivities;
import dev.trainlayer.workflows.activity.TrialInput;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.spec.ComputeSpec;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.spec.Task;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial commits checkpoints and heartbeats the last one; a retry handed that heartbeat resumes after it and
 * ends with exactly the weights and metrics of an uninterrupted run (the optimizer state is in the checkpoint).
 */
class TrialResumeTest {
    @TempDir
    static Path dir;
    static StoreFixture fixture;
    static FeaturesResult features;

    @BeforeAll
    static void start() throws Exception {
        // Every epoch, so the test can pick the checkpoint after epoch 5 (the default commits every 2 s).
        System.setProperty("trainlayer.checkpoint.interval", "0s");
        fixture = new StoreFixture(dir);
        String uri = fixture.upload("bc.csv", StoreFixture.BREAST_CANCER);
        PipelineSpec spec = SpecParser.parse("name: bc\ntask: classification\ntarget: diagnosis\ndata: {uri: \"" + uri + "\"}\n");
        DataActivitiesImpl data = new DataActivitiesImpl(fixture.store);
        SnapshotResult snapshot = data.snapshot(new SnapshotInput("run", "bc", uri));
        features = data.buildFeatures(new FeaturesInput("run", spec, snapshot));
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("trainlayer.checkpoint.interval");
        fixture.close();
    }

    static TrainingActivities stub(TestActivityEnvironment env) {
        env.registerActivitiesImplementations(new TrainingActivitiesImpl(fixture.store));
        return env.newActivityStub(TrainingActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(5)).setHeartbeatTimeout(Duration.ofMinutes(1)).build());
    }

    @Test
    void aRetriedTrialResumesFromItsLastCheckpoint() {
        TrialInput input = new TrialInput("run", "00-mlp", new ModelCandidate(ModelType.MLP, null,
                Map.of("hiddenLayers", List.of(16), "maxEpochs", 12, "patience", 50)).withDefaults(),
                Task.CLASSIFICATION, Metric.ROC_AUC, features, 11, ComputeSpec.Device.CPU);
        List<TrialProgress> beats = new ArrayList<>();
        TestActivityEnvironment first = TestActivityEnvironment.newInstance();
        first.setActivityHeartbeatListener(TrialProgress.class, beats::add);
        TrialResult full = stub(first).trainTrial(input);
        first.close();
        assertEquals(12, full.epochs());
        // Heartbeats are throttled by the SDK, so not every epoch's reaches the server; every epoch's
        // checkpoint is committed to the store, and the heartbeats that do arrive name one of them.
        assertTrue(!beats.isEmpty() && fixture.store.exists(beats.get(0).checkpoint()));
        List<String> states = fixture.store.list("runs/run/trials/00-mlp/").stream()
                .filter(k -> k.matches(".*/epoch-\\d+\\.json")).toList();
        assertEquals(12, states.size(), () -> "one committed checkpoint per epoch: " + fixture.store.list("runs/run/trials/"));
        TrialProgress afterFive = new TrialProgress(5, states.get(4), null);

        TestActivityEnvironment retry = TestActivityEnvironment.newInstance();
        retry.setHeartbeatDetails(afterFive);
        TrialResult resumed = stub(retry).trainTrial(input);
        retry.close();
        assertEquals(5, resumed.resumedFromEpoch());
        assertEquals(12, resumed.epochs());
        assertEquals(full.curve().subList(0, 5), resumed.curve().subList(0, 5), "epochs 1-5 come from the checkpoint");
        assertEquals(full.curve(), resumed.curve(), "the resumed trial continues exactly as the uninterrupted one");
        assertEquals(full.validationMetrics(), resumed.validationMetrics());
        assertEquals(full.model().sha256(), resumed.model().sha256(), "bit-identical weights");
    }

    @Test
    void aTrialPastItsSearchsDeadlineStopsAndKeepsItsBestSoFar() {
        // The deadline passed already: each family trains one epoch or round, then completes (not pruned) with a model.
        long past = System.currentTimeMillis() - 1;
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        TrainingActivities trainer = stub(env);
        try {
            for (ModelType type : List.of(ModelType.MLP, ModelType.XGBOOST, ModelType.LINEAR, ModelType.FOREST)) {
                Map<String, Object> params = type == ModelType.MLP ? Map.of("hiddenLayers", List.of(16), "maxEpochs", 50, "patience", 50)
                        : type == ModelType.FOREST ? Map.of("trees", 10) : Map.of("numRounds", 300, "earlyStoppingRounds", 300);
                TrialInput input = new TrialInput("run", "09-" + type.wire(), new ModelCandidate(type, null, params).withDefaults(),
                        Task.CLASSIFICATION, Metric.ROC_AUC, features, 11, ComputeSpec.Device.CPU, null, null, null, null, null, past);
                TrialResult r = trainer.trainTrial(input);
                assertEquals(TrialResult.COMPLETED, r.status(), type.wire() + ": " + r.failure());
                assertEquals(1, r.epochs(), type.wire() + " trained one step past the deadline");
                assertTrue(r.objective() > 0.8, type.wire() + " still has a model worth its value: " + r.objective());
                assertTrue(r.model() != null, type.wire() + " stored its model");
                if (type == ModelType.FOREST) {
                    assertEquals(null, r.failure(), "a forest's one round is all it has: the budget cut nothing");
                } else {
                    int planned = type == ModelType.MLP ? 50 : 300;
                    String unit = type == ModelType.MLP ? "epoch" : "round";
                    assertEquals("stopped at the search's time budget after " + unit + " 1 of " + planned + "; its best " + unit
                            + " (1) is kept", r.failure(), type.wire() + " says the budget stopped it");
                }
            }
            TrialInput open = new TrialInput("run", "10-xgboost", new ModelCandidate(ModelType.XGBOOST, null,
                    Map.of("numRounds", 40, "earlyStoppingRounds", 40)).withDefaults(), Task.CLASSIFICATION, Metric.ROC_AUC, features,
                    11, ComputeSpec.Device.CPU, null, null, null, null, null, System.currentTimeMillis() + 600_000);
            TrialResult unhurried = trainer.trainTrial(open);
            assertEquals(40, unhurried.epochs(), "a deadline not yet reached changes nothing");
            assertEquals(null, unhurried.failure());
        } finally {
            env.close();
        }
    }
}
