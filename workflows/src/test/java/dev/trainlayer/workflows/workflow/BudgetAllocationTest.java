package dev.trainlayer.workflows.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelCandidate;
import dev.trainlayer.workflows.spec.ModelType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BudgetAllocationTest {
    static final List<ModelCandidate> CANDIDATES = List.of(new ModelCandidate(ModelType.MLP, "mlp", Map.of()),
            new ModelCandidate(ModelType.XGBOOST, "xgboost", Map.of()));

    static TrialResult trial(String candidate, String status, double objective) {
        ModelType type = candidate.equals("mlp") ? ModelType.MLP : ModelType.XGBOOST;
        return new TrialResult("t-" + candidate, candidate, type, Map.of(), status, null, objective, Map.of(), 10, 10, 0,
                null, List.of(), 1000, 1, null, null, Map.of(), List.of(), null, List.of(), null);
    }

    static List<TrialResult> trials(Object... pairs) {
        List<TrialResult> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(trial((String) pairs[i], TrialResult.COMPLETED, (Double) pairs[i + 1]));
        }
        return out;
    }

    @Test
    void aFamilyWhoseBestLosesToTheLeadersMedianIsRetiredWithItsEvidence() {
        List<TrialResult> finished = trials("mlp", 0.40, "xgboost", 0.20, "mlp", 0.35, "xgboost", 0.25, "mlp", 0.31,
                "xgboost", 0.30);
        List<BudgetAllocation.Retirement> out = BudgetAllocation.retire(CANDIDATES, finished, Metric.RMSE, Set.of());
        assertEquals(1, out.size());
        assertEquals("mlp", out.get(0).candidate());
        assertEquals("mlp gets no more trials: its best rmse 0.3100 over 3 trials is worse than the median 0.2500 of "
                + "xgboost's 3 trials", out.get(0).reason());
    }

    @Test
    void noDecisionBeforeBothHaveTheirShareOrWhenTheBestBeatsTheMedian() {
        List<TrialResult> two = trials("mlp", 0.40, "xgboost", 0.20, "mlp", 0.35, "xgboost", 0.25, "xgboost", 0.30);
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, two, Metric.RMSE, Set.of()), "mlp has 2 trials");
        List<TrialResult> close = trials("mlp", 0.40, "xgboost", 0.20, "mlp", 0.35, "xgboost", 0.25, "mlp", 0.24,
                "xgboost", 0.30);
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, close, Metric.RMSE, Set.of()),
                "mlp's best 0.24 beats xgboost's median 0.25");
        // Failed trials do not count toward the share; pruned ones do, with the value they stopped at.
        List<TrialResult> mixed = new ArrayList<>(two);
        mixed.add(TrialResult.failed("f", "mlp", ModelType.MLP, Map.of(), "boom"));
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, mixed, Metric.RMSE, Set.of()));
        mixed.add(trial("mlp", TrialResult.PRUNED, 0.9));
        assertEquals("mlp", BudgetAllocation.retire(CANDIDATES, mixed, Metric.RMSE, Set.of()).get(0).candidate());
    }

    @Test
    void anExpensiveFamilyIsJudgedAfterTwoTrials() {
        List<TrialResult> finished = trials("mlp", 0.40, "xgboost", 0.20, "mlp", 0.35, "xgboost", 0.25, "xgboost", 0.30);
        java.util.function.Function<TrialResult, Double> fiveTimes = t -> t.candidate().equals("mlp") ? 50.0 : 10.0;
        List<BudgetAllocation.Retirement> out = BudgetAllocation.retire(CANDIDATES, finished, Metric.RMSE, Set.of(), fiveTimes);
        assertEquals(1, out.size());
        assertEquals("mlp gets no more trials: its best rmse 0.3500 over 2 trials is worse than the median 0.2500 of "
                + "xgboost's 3 trials, and its trials cost 5× as much", out.get(0).reason());
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, finished, Metric.RMSE, Set.of(), t -> t.candidate().equals("mlp") ? 20.0 : 10.0),
                "twice the cost is not expensive: three trials");
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, finished, Metric.RMSE, Set.of(), t -> null), "costs unknown");
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, finished.subList(0, 4), Metric.RMSE, Set.of(), fiveTimes),
                "the leader still needs three");
    }

    @Test
    void inASmallTrialBudgetAnExpensiveFamilyIsJudgedByItsFirstTrial() {
        // The MLP's first trial (its own parameters) against three XGBoost trials at a fifth of its cost.
        List<TrialResult> finished = trials("mlp", 0.35, "xgboost", 0.20, "xgboost", 0.25, "xgboost", 0.30);
        java.util.function.Function<TrialResult, Double> fiveTimes = t -> t.candidate().equals("mlp") ? 50.0 : 10.0;
        assertEquals(1, BudgetAllocation.expensiveAfter(20));
        assertEquals(1, BudgetAllocation.expensiveAfter(BudgetAllocation.SMALL_BUDGET));
        assertEquals(BudgetAllocation.MIN_TRIALS_EXPENSIVE, BudgetAllocation.expensiveAfter(BudgetAllocation.SMALL_BUDGET + 1));
        List<BudgetAllocation.Retirement> out = BudgetAllocation.retire(CANDIDATES, finished, Metric.RMSE, Set.of(), fiveTimes,
                BudgetAllocation.expensiveAfter(20));
        assertEquals(1, out.size());
        assertEquals("mlp gets no more trials: its best rmse 0.3500 over 1 trials is worse than the median 0.2500 of "
                + "xgboost's 3 trials, and its trials cost 5× as much", out.get(0).reason());
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, finished, Metric.RMSE, Set.of(), fiveTimes,
                BudgetAllocation.expensiveAfter(100)), "a larger budget still gives it two");
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, finished, Metric.RMSE, Set.of(),
                t -> t.candidate().equals("mlp") ? 20.0 : 10.0, 1), "twice the cost is not expensive: three trials");
        List<TrialResult> ahead = trials("mlp", 0.22, "xgboost", 0.20, "xgboost", 0.25, "xgboost", 0.30);
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, ahead, Metric.RMSE, Set.of(), fiveTimes, 1),
                "its first trial beats the leader's median: it stays");
    }

    @Test
    void withATimeBudgetCandidatesWhoseTrialsTakeLongerThanTheTimeLeftGetNone() {
        List<TrialResult> finished = new ArrayList<>();
        for (long ms : new long[] {20_000, 30_000, 90_000}) {
            finished.add(withDuration(trial("mlp", TrialResult.COMPLETED, 0.3), ms));
        }
        finished.add(withDuration(trial("xgboost", TrialResult.COMPLETED, 0.2), 4_000));
        finished.add(withDuration(trial("mlp", TrialResult.PRUNED, 0.9), 1_000_000));
        assertEquals(List.of("mlp"), BudgetAllocation.tooLongFor(CANDIDATES, finished, Set.of(), 29_000), "mlp's median is 30 s");
        assertEquals(List.of(), BudgetAllocation.tooLongFor(CANDIDATES, finished, Set.of(), 30_000));
        assertEquals(List.of("mlp", "xgboost"), BudgetAllocation.tooLongFor(CANDIDATES, finished, Set.of(), 3_000));
        assertEquals(List.of("xgboost"), BudgetAllocation.tooLongFor(CANDIDATES, finished, Set.of("mlp"), 3_000));
        assertEquals(List.of("mlp"), BudgetAllocation.tooLongFor(CANDIDATES, finished.subList(0, 3), Set.of(), 1_000),
                "xgboost has no completed trial yet: it may still run");
    }

    static TrialResult withDuration(TrialResult t, long ms) {
        return new TrialResult(t.trialId(), t.candidate(), t.type(), t.params(), t.status(), t.failure(), t.objective(),
                t.validationMetrics(), t.epochs(), t.bestEpoch(), t.resumedFromEpoch(), t.model(), t.curve(), ms, t.attempt(),
                t.worker(), t.device(), t.environment(), t.intermediate(), t.objectiveStd(), t.foldObjectives(), t.seed());
    }

    @Test
    void theLeaderBarIsTheBestCandidatesMedianOnceItHasThreeTrials() {
        List<TrialResult> finished = trials("mlp", 0.40, "xgboost", 0.20, "mlp", 0.35, "xgboost", 0.25);
        assertEquals(java.util.Optional.empty(), BudgetAllocation.leaderBar(CANDIDATES, finished, Metric.RMSE, Set.of()));
        List<TrialResult> more = new ArrayList<>(finished);
        more.add(trial("xgboost", TrialResult.COMPLETED, 0.30));
        assertEquals(java.util.Optional.of(new dev.trainlayer.workflows.activity.PruningPlan.LeaderBar("xgboost", 3, 0.25)),
                BudgetAllocation.leaderBar(CANDIDATES, more, Metric.RMSE, Set.of()));
        assertEquals(java.util.Optional.empty(), BudgetAllocation.leaderBar(CANDIDATES, more, Metric.RMSE, Set.of("mlp")),
                "one candidate left: nobody to hold to it");
    }

    @Test
    void higherIsBetterMetricsRetireTheLowerFamilyAndTheLastActiveOneIsKept() {
        List<TrialResult> finished = trials("mlp", 0.97, "xgboost", 0.90, "mlp", 0.98, "xgboost", 0.91, "mlp", 0.96,
                "xgboost", 0.85);
        List<BudgetAllocation.Retirement> out = BudgetAllocation.retire(CANDIDATES, finished, Metric.ROC_AUC, Set.of());
        assertEquals(List.of("xgboost"), out.stream().map(BudgetAllocation.Retirement::candidate).toList());
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, finished, Metric.ROC_AUC, Set.of("mlp")),
                "with mlp already retired xgboost is the only family left");
        assertEquals(List.of(), BudgetAllocation.retire(CANDIDATES, finished, Metric.ROC_AUC, Set.of("xgboost")));
    }

    @Test
    void costWeightFallsFromOneToZeroWithWhicheverBudgetRunsOutFirst() {
        assertEquals(1.0, BudgetAllocation.costWeight(0, 20, 0, 0, null));
        assertEquals(0.0, BudgetAllocation.costWeight(19, 20, 0, 0, null));
        assertEquals(0.5, BudgetAllocation.costWeight(5, 11, 0, 0, null), 1e-12);
        assertEquals(0.0, BudgetAllocation.costWeight(0, 1, 0, 0, null));
        assertEquals(0.0, BudgetAllocation.costWeight(25, 20, 0, 0, null));
        // trials: 1000 with a 60 s budget: the clock decides
        assertEquals(0.75, BudgetAllocation.costWeight(10, 1000, 16_000, 1_000, 61_000L), 1e-12);
        assertEquals(0.0, BudgetAllocation.costWeight(10, 1000, 70_000, 1_000, 61_000L));
        assertEquals(0.5, BudgetAllocation.costWeight(5, 11, 2_000, 1_000, 61_000L), 1e-12, "the trials are further along");
    }

    @Test
    void trialCostsAreEstimatedFromTheConfigurationAndTheWorkDone() {
        TrialResult mlp = new TrialResult("m", "mlp", ModelType.MLP, Map.of("hiddenLayers", List.of(64, 32), "batchSize", 32),
                TrialResult.COMPLETED, null, 0.5, Map.of(), 10, 10, 0, null, List.of(), 1000, 1, null, null, Map.of(), List.of(),
                null, List.of(), null);
        TrialResult bigBatch = new TrialResult("m", "mlp", ModelType.MLP, Map.of("hiddenLayers", List.of(64, 32), "batchSize", 512),
                TrialResult.COMPLETED, null, 0.5, Map.of(), 10, 10, 0, null, List.of(), 1000, 1, null, null, Map.of(), List.of(),
                null, List.of(), null);
        double small = TrialCost.estimate(mlp, 30_000, 26, 2);
        assertEquals(10 * 30_000 * (26 * 64 + 64 * 32 + 32 + 170_000 / 32.0) * 2e-9, small, 1e-9);
        assertTrue(TrialCost.estimate(bigBatch, 30_000, 26, 2) < small / 2, "a small batch pays the step overhead");
        TrialResult xgb = new TrialResult("x", "xgboost", ModelType.XGBOOST, Map.of("maxDepth", 6), TrialResult.COMPLETED, null,
                0.5, Map.of(), 100, 80, 0, null, List.of(), 1000, 1, null, null, Map.of(), List.of(), null, List.of(), null);
        assertEquals(100 * 30_000 * 26 * 6 * 2.2 * 2e-9, TrialCost.estimate(xgb, 30_000, 26, 2), 1e-9);
        assertEquals(3 * TrialCost.estimate(xgb, 30_000, 26, 2), TrialCost.estimate(xgb, 30_000, 26, 3), 1e-9, "a tree per class");
        assertEquals(null, TrialCost.estimate(trial("mlp", TrialResult.PRUNED, 0.3), 30_000, 26, 2), "cut short: not costed");

        TrialResult forest = new TrialResult("f", "forest", ModelType.FOREST, Map.of("trees", 100, "maxDepth", 12, "subsample", 0.5),
                TrialResult.COMPLETED, null, 0.5, Map.of(), 1, 1, 0, null, List.of(), 1000, 1, null, null, Map.of(), List.of(), null,
                List.of(), null);
        assertEquals(100 * 30_000 * 0.5 * 26 * 12 * 2.2 * 2e-9, TrialCost.estimate(forest, 30_000, 26, 2), 1e-9,
                "every tree of its one round, on the rows it samples");
        TrialResult linear = new TrialResult("l", "linear", ModelType.LINEAR, Map.of("lambda", 1e-3), TrialResult.COMPLETED, null,
                0.5, Map.of(), 50, 40, 0, null, List.of(), 1000, 1, null, null, Map.of(), List.of(), null, List.of(), null);
        assertEquals(50 * 30_000 * 26 * 3 * 2e-9, TrialCost.estimate(linear, 30_000, 26, 2), 1e-9);
        assertTrue(TrialCost.estimate(linear, 30_000, 26, 2) < TrialCost.estimate(xgb, 30_000, 26, 2) / 5,
                "the linear model is the cheap baseline");
    }

    @Test
    void withFourFamiliesTheOnesBehindAreRetiredAndTheLeaderKeepsTheTrials() {
        List<ModelCandidate> four = List.of(new ModelCandidate(ModelType.XGBOOST, "xgboost", Map.of()),
                new ModelCandidate(ModelType.MLP, "mlp", Map.of()), new ModelCandidate(ModelType.LINEAR, "linear", Map.of()),
                new ModelCandidate(ModelType.FOREST, "forest", Map.of()));
        List<TrialResult> finished = new ArrayList<>();
        Object[] pairs = {"xgboost", 0.20, "linear", 0.45, "forest", 0.30, "mlp", 0.26, "xgboost", 0.22, "linear", 0.44,
            "forest", 0.28, "mlp", 0.21, "xgboost", 0.25, "linear", 0.46, "forest", 0.215, "mlp", 0.27};
        for (int i = 0; i < pairs.length; i += 2) {
            String name = (String) pairs[i];
            finished.add(new TrialResult("t-" + i, name, ModelType.parse(name), Map.of(), TrialResult.COMPLETED, null,
                    (Double) pairs[i + 1], Map.of(), 10, 10, 0, null, List.of(), 1000, 1, null, null, Map.of(), List.of(), null,
                    List.of(), null));
        }
        List<BudgetAllocation.Retirement> out = BudgetAllocation.retire(four, finished, Metric.RMSE, Set.of());
        assertEquals(List.of("linear"), out.stream().map(BudgetAllocation.Retirement::candidate).toList(),
                "linear's best 0.44 is worse than xgboost's median 0.22; the forest's 0.215 and the mlp's 0.21 are not");
        assertTrue(out.get(0).reason().contains("median 0.2200 of xgboost's 3 trials"), out.get(0).reason());
    }
}
