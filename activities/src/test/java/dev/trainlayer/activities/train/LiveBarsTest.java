package dev.trainlayer.activities.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.activity.PruningPlan;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.PruningSpec;
import dev.trainlayer.workflows.spec.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trial's side of bars as they stand: the XGBoost trainer asks for its plan at every check step and holds the
 * round to the plan it gets, and outside a search activity nothing is asked. (The search's side, with real trials
 * beside each other: {@code SearchWorkflowTest.aTrialStartedBeforeAnyBarIsHeldToTheBarsSetWhileItRuns}.)
 */
class LiveBarsTest {
    static final List<Integer> STEPS = List.of(10, 20, 40);

    @Test
    void theTrainerChecksEachStepAgainstThePlanItIsGivenThere() throws Exception {
        Matrix[] rows = BreastCancer.encoded(0.2, 0.2, 5);
        Map<String, Object> params = new HashMap<>(ModelType.XGBOOST.defaults());
        params.put("numRounds", 80);
        params.put("earlyStoppingRounds", 80);
        // Started with no bar; at round 20 the search has one no model reaches (ROC AUC above 1).
        PruningPlan started = new PruningPlan(PruningSpec.Rule.MEDIAN, Metric.ROC_AUC, "round", 2, STEPS, List.of());
        PruningPlan later = new PruningPlan(PruningSpec.Rule.MEDIAN, Metric.ROC_AUC, "round", 2, STEPS,
                List.of(new PruningPlan.Rung(20, 3, 1.5, "mlp")));
        List<Integer> asked = new ArrayList<>();
        XgboostTrainer.Result r = XgboostTrainer.train(ModelType.XGBOOST, rows[0], rows[1], Task.CLASSIFICATION, 2,
                Metric.ROC_AUC, params, 3, started, new XgboostTrainer.Progress() {
                    @Override
                    public String onRound(EpochMetrics point, int bestRound) {
                        return null;
                    }

                    @Override
                    public PruningPlan plan(int round, PruningPlan current) {
                        asked.add(round);
                        return round >= 20 ? later : current;
                    }
                }, null);
        assertEquals(List.of(10, 20), asked, "asked at each check step up to the one that stopped it");
        assertEquals(20, r.roundsTrained());
        assertTrue(r.pruned().startsWith("pruned (median) at round 20: validation roc_auc ")
                && r.pruned().endsWith("is worse than the median 1.500 of the 3 trials of mlp, the leading candidate"), r.pruned());

        // The same trial against the plan it started with runs its rounds.
        XgboostTrainer.Result unheld = XgboostTrainer.train(ModelType.XGBOOST, rows[0], rows[1], Task.CLASSIFICATION, 2,
                Metric.ROC_AUC, params, 3, started, (point, best) -> null, null);
        assertNull(unheld.pruned());
        assertTrue(unheld.roundsTrained() > 20, () -> unheld.roundsTrained() + " rounds");
    }

    @Test
    void outsideASearchActivityNothingIsAsked() {
        PruningPlan plan = new PruningPlan(PruningSpec.Rule.MEDIAN, Metric.ROC_AUC, "round", 2, STEPS, List.of());
        assertSame(LiveBars.NONE, LiveBars.of("000-xgboost", plan));
        assertSame(plan, LiveBars.NONE.at(10, plan));
        assertSame(LiveBars.NONE, LiveBars.of("000-xgboost", PruningPlan.recordOnly(
                new dev.trainlayer.workflows.spec.ModelCandidate(ModelType.XGBOOST, null, null, null), Metric.ROC_AUC)));
    }
}
