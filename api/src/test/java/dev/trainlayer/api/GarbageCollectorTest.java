package dev.trainlayer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trainlayer.store.ObjectStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which of a finished run's objects retention deletes, by kind (the whole collection runs in {@code RetentionTest}). */
class GarbageCollectorTest {
    static final List<String> RUN = List.of(
            "run.json", "spec.json", "report.json", "ledger.jsonl",
            "features/train.bin", "features/test.csv",
            "trials/000-mlp/live.json",
            "trials/000-mlp/attempt-1/checkpoints/epoch-3.params",
            "trials/000-mlp/attempt-1/curve.json",
            "trials/000-mlp/attempt-2/checkpoints/epoch-9.params",
            "trials/000-mlp/attempt-2/checkpoints/epoch-9.json",
            "trials/000-mlp/attempt-2/curve.json",
            "trials/000-mlp/model/model.params",
            "trials/000-mlp/refit/attempt-1/curve.json",
            "trials/000-mlp/refit/model/model.params",
            "trials/001-xgboost/fold-0/attempt-1/curve.json",
            "trials/001-xgboost/fold-0/attempt-2/curve.json",
            "trials/001-xgboost/model/model.json");

    static Map<String, String> garbage(boolean kept, String winner) {
        return garbage(kept, winner, true);
    }

    static Map<String, String> garbage(boolean kept, String winner, boolean reported) {
        List<ObjectStore.Listed> objects = RUN.stream().map(k -> new ObjectStore.Listed("runs/r1/" + k, Instant.EPOCH, 10)).toList();
        Map<String, String> out = new TreeMap<>();
        GarbageCollector.runGarbage("r1", objects, kept, winner, reported).forEach(d -> out.put(d.key().substring("runs/r1/".length()), d.kind()));
        return out;
    }

    @Test
    void aKeptRunLosesCheckpointsOldAttemptsAndTheModelsThatAreNotItsVersion() {
        assertEquals(Map.of(
                "trials/000-mlp/attempt-1/checkpoints/epoch-3.params", "abandonedAttempts",
                "trials/000-mlp/attempt-1/curve.json", "abandonedAttempts",
                "trials/000-mlp/attempt-2/checkpoints/epoch-9.params", "checkpoints",
                "trials/000-mlp/attempt-2/checkpoints/epoch-9.json", "checkpoints",
                "trials/000-mlp/model/model.params", "trialModels",
                "trials/001-xgboost/fold-0/attempt-1/curve.json", "abandonedAttempts",
                "trials/001-xgboost/model/model.json", "trialModels"), garbage(true, "000-mlp/refit"));
    }

    @Test
    void aFailedRunKeepsWhatAResetContinuesFrom() {
        assertEquals(Map.of(
                "trials/000-mlp/attempt-1/checkpoints/epoch-3.params", "abandonedAttempts",
                "trials/000-mlp/attempt-1/curve.json", "abandonedAttempts",
                "trials/000-mlp/attempt-2/checkpoints/epoch-9.params", "checkpoints",
                "trials/000-mlp/attempt-2/checkpoints/epoch-9.json", "checkpoints",
                "trials/001-xgboost/fold-0/attempt-1/curve.json", "abandonedAttempts"), garbage(false, null, false));
    }

    @Test
    void aRunWithNoKeptVersionAlsoLosesItsFeaturesAndEveryTrialModelButKeepsItsRecords() {
        Map<String, String> g = garbage(false, null);
        assertEquals("features", g.get("features/train.bin"));
        assertEquals("trialModels", g.get("trials/000-mlp/refit/model/model.params"));
        for (String kept : List.of("run.json", "spec.json", "report.json", "ledger.jsonl", "trials/000-mlp/live.json",
                "trials/000-mlp/attempt-2/curve.json", "trials/000-mlp/refit/attempt-1/curve.json")) {
            assertEquals(null, g.get(kept), kept);
        }
    }
}
