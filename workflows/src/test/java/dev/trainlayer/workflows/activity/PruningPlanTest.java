package dev.trainlayer.workflows.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.PruningSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruningPlanTest {
    static final ModelCandidate MLP = new ModelCandidate(ModelType.MLP, "mlp", Map.of("maxEpochs", 100));

    /** A finished trial with the given values at steps 5, 10, 20, … and its final epoch count. */
    static TrialResult trial(String status, int epochs, double objective, double... values) {
        List<IntermediateValue> at = new ArrayList<>();
        int step = 5;
        for (double v : values) {
            at.add(new IntermediateValue(step, v));
            step *= 2;
        }
        return new TrialResult("t", "mlp", ModelType.MLP, Map.of(), status, null, objective, Map.of(), epochs, epochs, 0,
                null, List.of(), 0, 1, null, null, Map.of(), at, null, List.of(), 1L);
    }

    @Test
    void aPlanThatStopsEndsTheTrialAtAnyCheckWithItsReasonAndTravelsAsJson() {
        PruningSpec median = new PruningSpec(PruningSpec.Rule.MEDIAN, null, null, null);
        PruningPlan plan = PruningPlan.build(median, Metric.ACCURACY, MLP, List.of());
        assertEquals(java.util.Optional.empty(), plan.check(5, 0.1), "no bar yet");
        PruningPlan stopping = plan.stoppingWith("stopped: mlp gets no more trials: …");
        assertEquals("stopped: mlp gets no more trials: …", stopping.check(5, 0.99).orElseThrow(), "whatever its value");
        assertEquals(plan.steps(), stopping.steps());
        io.temporal.common.converter.DataConverter json = io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE;
        for (PruningPlan p : List.of(plan, stopping)) {
            assertEquals(p, json.fromPayload(json.toPayload(p).orElseThrow(), PruningPlan.class, PruningPlan.class));
        }
        assertFalse(json.toPayload(plan).orElseThrow().getData().toStringUtf8().contains("stop"),
                "a plan that does not stop says nothing of it (the payloads of earlier searches)");
    }

    @Test
    void aLeadingCandidatesMedianHoldsOtherCandidatesTrialsFromTheThirdCheckOn() {
        PruningSpec median = new PruningSpec(PruningSpec.Rule.MEDIAN, null, null, null);
        PruningPlan.LeaderBar xgboost = new PruningPlan.LeaderBar("xgboost", 4, 0.95);
        PruningPlan plan = PruningPlan.build(median, Metric.ACCURACY, MLP, List.of(), xgboost);
        assertEquals(List.of(20, 40, 80), plan.rungs().stream().map(PruningPlan.Rung::step).toList(), "5 and 10 are too early");
        assertEquals(java.util.Optional.empty(), plan.check(10, 0.5));
        assertEquals(java.util.Optional.empty(), plan.check(20, 0.95), "as good as the leader's median goes on");
        assertEquals("pruned (median) at epoch 20: validation accuracy 0.9000 is worse than the median 0.9500 of the 4 trials of "
                + "xgboost, the leading candidate", plan.check(20, 0.90).orElseThrow());
        assertFalse(PruningPlan.build(median, Metric.ACCURACY, MLP, List.of(), new PruningPlan.LeaderBar("mlp", 4, 0.95)).prunes(),
                "the leader is not held to itself");
        assertFalse(PruningPlan.build(new PruningSpec(PruningSpec.Rule.NONE, null, null, null), Metric.ACCURACY, MLP, List.of(),
                xgboost).prunes(), "pruning off");
    }

    @Test
    void inASearchOfSeveralCandidatesThreeTrialsSetABarFromTheThirdCheckOn() {
        PruningSpec median = new PruningSpec(PruningSpec.Rule.MEDIAN, 5, null, null);
        // Three finished trials of the candidate, values at epochs 5, 10, 20, 40: under the startup of 5, so a search of
        // one candidate sets no bar at all; a search of several sets bars from epoch 20 on (at 80 with their final values,
        // since they stopped at epoch 60), not at 5 and 10.
        List<TrialResult> finished = List.of(
                trial("COMPLETED", 60, 1.10, 3.0, 2.0, 1.20, 1.10),
                trial("COMPLETED", 60, 1.30, 3.5, 2.5, 1.40, 1.30),
                trial("COMPLETED", 60, 1.60, 4.0, 3.0, 1.80, 1.60));
        assertFalse(PruningPlan.build(median, Metric.RMSE, MLP, finished, null, false).prunes());
        PruningPlan shared = PruningPlan.build(median, Metric.RMSE, MLP, finished, null, true);
        assertEquals(List.of(20, 40, 80), shared.rungs().stream().map(PruningPlan.Rung::step).toList());
        assertEquals(java.util.Optional.empty(), shared.check(10, 9.9), "epoch 10 keeps the startup of 5");
        assertEquals(java.util.Optional.empty(), shared.check(20, 1.40), "at the median it goes on");
        assertEquals("pruned (median) at epoch 20: validation rmse 2.500 is worse than the median 1.400 of 3 earlier trials",
                shared.check(20, 2.5).orElseThrow());
        // Two trials are not enough, and a startup below three is kept as it is.
        assertFalse(PruningPlan.build(median, Metric.RMSE, MLP, finished.subList(0, 2), null, true).prunes());
        PruningSpec two = new PruningSpec(PruningSpec.Rule.MEDIAN, 2, null, null);
        assertEquals(List.of(5, 10, 20, 40, 80), PruningPlan.build(two, Metric.RMSE, MLP, finished.subList(0, 2), null, true)
                .rungs().stream().map(PruningPlan.Rung::step).toList());
    }

    @Test
    void stepsDoubleFromTheMinimumResourceAndStopBeforeTheMaximum() {
        assertEquals(List.of(5, 10, 20, 40, 80), PruningPlan.steps(5, 2, 100));
        assertEquals(List.of(20, 60, 180), PruningPlan.steps(20, 3, 500));
        assertEquals(List.of(), PruningPlan.steps(5, 2, 5));
    }

    @Test
    void theMedianRulePrunesTrialsBelowTheMedianOnceEnoughTrialsReportedAtThatStep() {
        PruningSpec median = new PruningSpec(PruningSpec.Rule.MEDIAN, 3, null, null);
        List<TrialResult> finished = List.of(
                trial("COMPLETED", 100, 0.95, 0.80, 0.90),
                trial("COMPLETED", 100, 0.96, 0.70, 0.85),
                trial("COMPLETED", 100, 0.97, 0.60, 0.80));
        PruningPlan plan = PruningPlan.build(median, Metric.ACCURACY, MLP, finished);
        assertEquals(List.of(5, 10, 20, 40, 80), plan.steps());
        assertTrue(plan.check(5, 0.65).isPresent(), "below the median 0.70");
        assertFalse(plan.check(5, 0.70).isPresent(), "at the median it goes on");
        assertTrue(plan.check(5, 0.65).get().contains("median 0.7000 of 3 earlier trials"), plan.check(5, 0.65).get());
        assertTrue(plan.check(10, 0.84).isPresent());
        // Completed trials that ran past step 20 without a value there do not count: no bar, no pruning.
        assertFalse(plan.check(20, 0.1).isPresent());
    }

    @Test
    void earlyStoppedTrialsCountWithTheirFinalValueAndPrunedOnesOnlyWhereTheyStopped() {
        PruningSpec median = new PruningSpec(PruningSpec.Rule.MEDIAN, 2, null, null);
        List<TrialResult> finished = List.of(
                trial("COMPLETED", 12, 0.90, 0.80, 0.88),   // stopped at epoch 12: 0.90 at steps 20, 40, 80
                trial("PRUNED", 5, 0.50, 0.50));             // only at step 5
        PruningPlan plan = PruningPlan.build(median, Metric.ACCURACY, MLP, finished);
        assertTrue(plan.check(5, 0.6).isPresent(), "median of 0.80 and 0.50 is 0.65");
        assertFalse(plan.check(20, 0.1).isPresent(), "one value at step 20 is below the startup count");
    }

    @Test
    void lowerIsBetterMetricsAreComparedTheOtherWay() {
        PruningSpec median = new PruningSpec(PruningSpec.Rule.MEDIAN, 1, null, null);
        PruningPlan plan = PruningPlan.build(median, Metric.RMSE, MLP, List.of(trial("COMPLETED", 100, 1.0, 2.0)));
        assertTrue(plan.check(5, 2.5).isPresent());
        assertFalse(plan.check(5, 1.5).isPresent());
    }

    @Test
    void ashaKeepsTheBestThirdAtEachRung() {
        PruningSpec asha = new PruningSpec(PruningSpec.Rule.ASHA, 2, null, 3);
        List<TrialResult> finished = new ArrayList<>();
        for (double v : new double[] {0.9, 0.8, 0.7, 0.6, 0.5}) {
            finished.add(trial("PRUNED", 5, v, v));
        }
        PruningPlan plan = PruningPlan.build(asha, Metric.ACCURACY, MLP, finished);
        assertEquals(List.of(5, 15, 45), plan.steps(), "rungs grow by the reduction factor");
        // Six trials with this one: the best 6/3 = 2 continue, so it must beat the second best earlier value.
        assertFalse(plan.check(5, 0.85).isPresent());
        assertFalse(plan.check(5, 0.8).isPresent());
        assertTrue(plan.check(5, 0.79).isPresent());
        assertTrue(plan.check(5, 0.79).get().contains("best 1/3 of the 6 trials"), plan.check(5, 0.79).get());
    }

    @Test
    void otherCandidatesAndTheRuleNoneNeverSetABar() {
        TrialResult other = new TrialResult("t", "xgboost", ModelType.XGBOOST, Map.of(), "COMPLETED", null, 0.99, Map.of(), 100,
                100, 0, null, List.of(), 0, 1, null, null, Map.of(), List.of(new IntermediateValue(5, 0.99)), null, List.of(), 1L);
        PruningSpec median = new PruningSpec(PruningSpec.Rule.MEDIAN, 1, null, null);
        assertFalse(PruningPlan.build(median, Metric.ACCURACY, MLP, List.of(other)).prunes());
        PruningPlan none = PruningPlan.build(new PruningSpec(PruningSpec.Rule.NONE, 1, null, null), Metric.ACCURACY, MLP,
                List.of(trial("COMPLETED", 100, 0.99, 0.99)));
        assertFalse(none.prunes());
        assertEquals(List.of(5, 10, 20, 40, 80), none.steps(), "values are still recorded at the default steps");
    }
}
