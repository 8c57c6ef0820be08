package dev.trainlayer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.activities.data.DataActivitiesImpl;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.activity.FeaturesInput;
import dev.trainlayer.workflows.activity.FeaturesResult;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.spec.ModelType;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.RunStatus;
import dev.trainlayer.workflows.workflow.SearchInput;
import dev.trainlayer.workflows.workflow.SearchResult;
import dev.trainlayer.workflows.workflow.SearchWorkflow;
import dev.trainlayer.workflows.workflow.TrialSummary;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.api.common.v1.WorkflowExecution;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning, k-fold cross-validation and continue-as-new of the search, with real training on real data. */
class SearchWorkflowTest {
    @TempDir
    static Path dir;
    static WorkflowHarness h;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        h = new WorkflowHarness(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        // ./mvnw -pl worker test -Dtest=SearchWorkflowTest -Dtrainlayer.recordHistories=src/test/resources/histories
        h.recordHistories("retrain/bc-prune/run-20", "retrain/bc-prune/run-20/search",
                "retrain/bc-kfold/run-21", "retrain/bc-kfold/run-21/search",
                "retrain/bc-budget/run-23", "retrain/bc-budget/run-23/search",
                "retrain/bc-refit/run-24", "retrain/bc-refit/run-24/search",
                "retrain/bc-families/run-25", "retrain/bc-families/run-25/search",
                "retrain/bc-deadline/run-28", "retrain/bc-deadline/run-28/search",
                "retrain/bc-shared/run-29", "retrain/bc-shared/run-29/search",
                "retrain/bc-live/run-34", "retrain/bc-live/run-34/search");
        h.close();
    }

    static RunState result(dev.trainlayer.workflows.workflow.RetrainWorkflow run) {
        return WorkflowStub.fromTyped(run).getResult(RunState.class);
    }

    /** The input of every trial the search scheduled (each with the pruning plan it started with), in order. */
    static List<JsonNode> trialInputs(String searchId) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (HistoryEvent e : h.client().fetchHistory(searchId).getEvents()) {
            if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                    && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("TrainTrial")) {
                out.add(JSON.readTree(e.getActivityTaskScheduledEventAttributes().getInput().getPayloads(0).getData().toStringUtf8()));
            }
        }
        return out;
    }

    static List<JsonNode> ledger(String runId) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : h.store.store.getString(Keys.ledger(runId)).split("\n")) {
            out.add(JSON.readTree(line).get("trial"));
        }
        return out;
    }

    @Test
    void hopelessTrialsArePrunedAtARungAndRecordedWithTheirIntermediateValues() throws Exception {
        // Learning rates and etas down to 1e-5 make some trials crawl; ASHA with rungs at 4, 12, 36 stops them.
        PipelineSpec spec = h.spec("bc-prune", """
                search: {trials: 10, parallelism: 1, pruning: {rule: asha, startupTrials: 2, minResource: 4}}
                metric: log_loss""", """
                models:
                  - type: mlp
                    params: {maxEpochs: 60, patience: 10}
                    space:
                      learningRate: {low: 0.00001, high: 0.03, log: true}
                      layers: {low: 1, high: 2}
                      units: {low: 8, high: 64, log: true}
                  - type: xgboost
                    params: {numRounds: 120, earlyStoppingRounds: 10}
                    space:
                      eta: {low: 0.0005, high: 0.3, log: true}
                """);
        RunState state = result(h.start(spec, "run-20"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        assertEquals(11, state.trials().size(), "10 searched and the winner's refit");
        assertTrue(state.trials().stream().anyMatch(t -> t.trialId().equals(state.bestTrial() + "/refit")), state.trials()::toString);
        List<TrialSummary> pruned = state.trials().stream().filter(t -> "PRUNED".equals(t.status())).toList();
        assertFalse(pruned.isEmpty(), () -> "no trial was pruned: " + state.trials());
        for (TrialSummary t : pruned) {
            int max = t.type() == ModelType.MLP ? 60 : 120;
            assertTrue(Set.of(4, 12, 36).contains(t.epochs()), "pruned at a rung: " + t);
            assertTrue(t.epochs() < max);
            assertTrue(t.failure().startsWith("pruned (asha) at " + (t.type() == ModelType.MLP ? "epoch " : "round ")),
                    t.failure());
            assertNotNull(t.objective(), "a pruned trial keeps the value it stopped with");
        }
        assertTrue(state.trials().stream().noneMatch(t -> "FAILED".equals(t.status())), state.trials()::toString);
        for (TrialSummary t : state.trials()) {
            if (t.type() == ModelType.MLP) {
                // layers + units (conditional widths) arrive at the trainer as hiddenLayers
                List<?> layers = (List<?>) t.params().get("hiddenLayers");
                assertTrue(layers.size() == 1 || layers.size() == 2, t.params()::toString);
                assertFalse(t.params().containsKey("layers") || t.params().containsKey("units2"), t.params()::toString);
            }
        }
        assertTrue(state.trials().stream().filter(t -> "COMPLETED".equals(t.status())).anyMatch(t -> t.trialId().equals(state.bestTrial())));

        List<JsonNode> lines = ledger("run-20");
        assertEquals(11, lines.size());
        JsonNode prunedLine = lines.stream().filter(l -> "PRUNED".equals(l.get("status").asText())).findFirst().orElseThrow();
        assertTrue(prunedLine.get("intermediate").size() >= 1, prunedLine::toString);
        assertTrue(prunedLine.get("model").isNull(), "a pruned trial saves no model");
        JsonNode completed = lines.stream().filter(l -> "COMPLETED".equals(l.get("status").asText())).findFirst().orElseThrow();
        assertTrue(completed.get("intermediate").size() >= 1, "completed trials report their values too: " + completed);
        JsonNode line = JSON.readTree(h.store.store.getString(Keys.ledger("run-20")).split("\n")[0]);
        assertEquals(line.get("trial").get("epochs").asInt(), line.get("curve").size(), "the ledger carries the learning curve");
    }

    @Test
    void theWinnerIsRefitOnTheTrainingAndValidationRowsAndBecomesTheChallenger() throws Exception {
        PipelineSpec spec = h.spec("bc-refit", "search: {trials: 3, parallelism: 1, pruning: {rule: none}}", """
                models:
                  - type: xgboost
                    params: {numRounds: 150, earlyStoppingRounds: 10}
                    space:
                      maxDepth: {low: 2, high: 5}
                """);
        RunState state = result(h.start(spec, "run-24"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        TrialSummary winner = state.trials().stream().filter(t -> t.trialId().equals(state.bestTrial())).findFirst().orElseThrow();
        TrialSummary refit = state.trials().stream().filter(t -> t.trialId().endsWith("/refit")).findFirst().orElseThrow();
        assertEquals(4, state.trials().size(), state.trials()::toString);
        assertEquals(winner.trialId() + "/refit", refit.trialId(), "the search's winner is refit; it stays the run's best trial");
        assertEquals("COMPLETED", refit.status());
        assertTrue(winner.bestEpoch() > 0 && winner.bestEpoch() < 150, winner::toString);
        assertEquals(winner.bestEpoch(), refit.epochs(), "as many rounds as the winner's early stopping kept");
        assertEquals(winner.bestEpoch(), ((Number) refit.params().get("numRounds")).intValue());
        assertNull(refit.objective(), "its validation rows were trained on: no validation value");
        assertTrue(refit.validationMetrics().isEmpty(), refit.validationMetrics()::toString);
        assertEquals(winner.params().get("maxDepth"), refit.params().get("maxDepth"));

        var version = h.registry("bc-refit").versions().get(0);
        assertEquals(refit.trialId(), version.lineage().trialId(), "the registered challenger is the refit");
        assertTrue(state.metrics().get("accuracy") >= 0.9, state.metrics()::toString);
        List<JsonNode> lines = ledger("run-24");
        assertEquals(4, lines.size(), "the ledger records the refit beside the searched trials");
        JsonNode refitLine = lines.stream().filter(l -> l.get("trialId").asText().equals(refit.trialId())).findFirst().orElseThrow();
        assertEquals(refitLine.get("model").get("sha256").asText(), version.artifacts().sha256(),
                "the registered model's files are the refit's");

        // Trained on more rows: its trees differ from the winner's, same rounds and depth notwithstanding.
        String refitTrees = h.store.store.getString(Keys.trialModel("run-24", refit.trialId()) + "model.json");
        String winnerTrees = h.store.store.getString(Keys.trialModel("run-24", winner.trialId()) + "model.json");
        assertFalse(refitTrees.equals(winnerTrees));

        RunState kept = result(h.start(h.spec("bc-refit-off", "search: {trials: 2, parallelism: 1, refit: false}", """
                models:
                  - type: xgboost
                    params: {numRounds: 60, earlyStoppingRounds: 10}
                """), "run-25"));
        assertEquals(RunStatus.SUCCEEDED, kept.status(), () -> String.valueOf(kept.reasons()));
        assertEquals(2, kept.trials().size(), "refit: false trains nothing after the search: " + kept.trials());
        assertEquals(kept.bestTrial(), h.registry("bc-refit-off").versions().get(0).lineage().trialId());
    }

    @Test
    void kFoldScoresEachConfigurationOnEveryFoldAndTrainsTheWinnerOnTheUsualSplit() throws Exception {
        PipelineSpec spec = h.spec("bc-kfold", "search: {trials: 3, parallelism: 2, kfold: 3, pruning: {rule: none}}", """
                models:
                  - type: xgboost
                    params: {numRounds: 80, earlyStoppingRounds: 10}
                    space:
                      maxDepth: {low: 2, high: 5}
                """);
        RunState state = result(h.start(spec, "run-21"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        List<TrialSummary> searched = state.trials().stream().filter(t -> !t.trialId().endsWith("/final")).toList();
        assertEquals(3, searched.size(), state.trials()::toString);
        for (TrialSummary t : searched) {
            assertEquals("COMPLETED", t.status());
            assertNotNull(t.objectiveStd(), "the spread over folds is recorded: " + t);
        }
        TrialSummary finalTrial = state.trials().stream().filter(t -> t.trialId().endsWith("/final")).findFirst().orElseThrow();
        assertEquals(state.bestTrial() + "/final", finalTrial.trialId(), "the winner is retrained");
        assertEquals(state.trials().stream().filter(t -> t.trialId().equals(state.bestTrial())).findFirst().orElseThrow().params(),
                finalTrial.params());
        assertTrue(state.metrics().get("accuracy") >= 0.9, state.metrics()::toString);

        List<JsonNode> lines = ledger("run-21");
        assertEquals(4, lines.size());
        JsonNode first = lines.get(0);
        assertEquals(3, first.get("foldObjectives").size());
        JsonNode firstLine = JSON.readTree(h.store.store.getString(Keys.ledger("run-21")).split("\n")[0]);
        assertEquals(3, firstLine.get("foldCurves").size(), "one learning curve per fold: " + firstLine.get("foldCurves"));
        double mean = 0;
        for (JsonNode v : first.get("foldObjectives")) {
            mean += v.asDouble() / 3;
        }
        assertEquals(mean, first.get("objective").asDouble(), 1e-12, "the trial's value is the mean over folds");
        for (int f = 0; f < 3; f++) {
            assertTrue(h.store.store.exists(Keys.features("run-21") + "folds/" + f + "/train.bin"));
            assertTrue(h.store.store.exists(Keys.trialModel("run-21", first.get("trialId").asText() + "/fold-" + f) + "model.json"));
        }
        assertTrue(h.store.store.exists(Keys.trialModel("run-21", finalTrial.trialId()) + "model.json"));
    }

    @Test
    void aFamilyClearlyBehindStopsGettingTrialsAndTheDecisionReplays() throws Exception {
        // An MLP that can barely move (tiny learning rates) against XGBoost: after three trials each, the
        // MLP's best log loss is far worse than XGBoost's median, so the rest of the budget goes to XGBoost.
        // Some MLP configurations train 4000 epochs (minutes). The search starts from each candidate's own
        // parameters: a 4000-epoch MLP first, then XGBoost; with search seed 4 the quasi-random design (a
        // function of the seed and the trial's index only) then launches short MLP and XGBoost trials: the long
        // one is still running when the MLP is retired, and is stopped then.
        PipelineSpec spec = h.spec("bc-budget", "search: {trials: 14, parallelism: 3, seed: 4, pruning: {rule: none}}\nmetric: log_loss", """
                models:
                  - type: mlp
                    params: {patience: 5000, maxEpochs: 4000}
                    space:
                      learningRate: {low: 0.00000001, high: 0.0000001, log: true}
                      maxEpochs: {choices: [2, 3, 4, 4000]}
                  - type: xgboost
                    params: {numRounds: 60, earlyStoppingRounds: 10}
                    space:
                      maxDepth: {low: 2, high: 5}
                      eta: {low: 0.05, high: 0.3, log: true}
                """);
        RunState state = result(h.start(spec, "run-23"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        String searchId = "retrain/bc-budget/run-23/search";
        SearchResult search = h.client().newUntypedWorkflowStub(searchId).getResult(SearchResult.class);
        List<dev.trainlayer.workflows.workflow.RunEvent> events = search.events();
        int decision = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type().equals(dev.trainlayer.workflows.workflow.RunEvent.SEARCH_DECISION)) {
                assertEquals(-1, decision, "one family retired once: " + events);
                decision = i;
            }
        }
        assertTrue(decision >= 0, () -> "no family was retired: " + state.trials().size() + " trials");
        dev.trainlayer.workflows.workflow.RunEvent retired = events.get(decision);
        assertEquals(dev.trainlayer.workflows.workflow.RunEvent.FAMILY_RETIRED, retired.status());
        assertTrue(retired.detail().startsWith("mlp gets no more trials: its best log_loss "), retired.detail());
        assertTrue(retired.detail().contains("of xgboost's "), retired.detail());
        List<String> startedAfter = events.subList(decision, events.size()).stream()
                .filter(e -> e.type().equals(dev.trainlayer.workflows.workflow.RunEvent.TRIAL_STARTED))
                .map(dev.trainlayer.workflows.workflow.RunEvent::trialId).toList();
        assertFalse(startedAfter.isEmpty(), () -> "the decision came before the budget was spent: " + events.stream().map(e -> e.type() + ":" + e.trialId()).toList());
        assertTrue(startedAfter.stream().allMatch(id -> id.endsWith("-xgboost")), startedAfter::toString);
        assertEquals(14, search.trials().size());
        List<TrialResult> stoppedTrials = search.trials().stream().filter(t -> t.failure() != null && t.failure().startsWith("stopped: "))
                .toList();
        assertEquals(List.of("000-mlp"), stoppedTrials.stream().map(TrialResult::trialId).toList(),
                "the long MLP trial was running when the MLP was retired");
        for (TrialResult t : stoppedTrials) {
            // Not cancelled: told by its plan at its next check step or between checks (budget-allocation version 4),
            // where it ends with the value it had.
            assertEquals(ModelType.MLP, t.type());
            assertEquals(TrialResult.PRUNED, t.status());
            assertFalse(Double.isNaN(t.objective()), t::toString);
            assertTrue(t.epochs() >= 1 && t.epochs() < 4000, t::toString);
            assertEquals("stopped: " + retired.detail(), t.failure());
        }
        assertTrue(search.trials().stream().filter(t -> t.type() == ModelType.MLP && t.completed())
                .allMatch(t -> t.epochs() <= 4), "no 4000-epoch MLP trial ran to its end");
        long mlp = search.trials().stream().filter(t -> t.type() == ModelType.MLP).count();
        assertTrue(mlp >= 3 && mlp <= 14 - startedAfter.size(), () -> mlp + " MLP trials");
        assertEquals(ModelType.XGBOOST, state.trials().stream().filter(t -> t.trialId().equals(state.bestTrial()))
                .findFirst().orElseThrow().type());
        // The decisions are a pure function of the history: the recorded search replays on today's code.
        io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(h.client().fetchHistory(searchId),
                dev.trainlayer.workflows.workflow.SearchWorkflowImpl.class);
    }

    @Test
    void inASearchOfSeveralCandidatesThreeFinishedTrialsSetTheBarFromTheThirdCheck() throws Exception {
        // Nine trials, one at a time, over two candidates: one of them gets at least five, so its fourth trial starts
        // with three of its own finished. Under the default startup of 5 that trial had no bar anywhere; now its plan
        // (the activity's input, in the history) holds it to those three from the third check (round 80) on, and the
        // first two checks still wait for five.
        PipelineSpec spec = h.spec("bc-shared", "search: {trials: 9, parallelism: 1, seed: 5}\nmetric: log_loss", """
                models:
                  - type: xgboost
                    params: {numRounds: 200, earlyStoppingRounds: 200}
                    space:
                      maxDepth: {low: 2, high: 5}
                      eta: {low: 0.01, high: 0.3, log: true}
                  - type: linear
                    params: {numRounds: 200, earlyStoppingRounds: 200}
                    space:
                      lambda: {low: 0.0001, high: 1, log: true}
                """);
        RunState state = result(h.start(spec, "run-29"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        String searchId = "retrain/bc-shared/run-29/search";
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        List<String> checked = new java.util.ArrayList<>();
        for (JsonNode input : trialInputs(searchId)) {
            String candidate = input.path("candidate").path("name").asText();
            int earlier = seen.merge(candidate, 1, Integer::sum) - 1;
            JsonNode plan = input.path("pruning");
            assertEquals(List.of(20, 40, 80, 160), JSON.convertValue(plan.path("steps"), List.class), plan::toString);
            for (JsonNode rung : plan.path("rungs")) {
                if (rung.hasNonNull("leader")) {
                    continue;
                }
                assertTrue(rung.path("step").asInt() >= 80 || rung.path("trials").asInt() >= 5,
                        () -> "the first two checks wait for five trials: " + plan);
            }
            if (earlier == 3) {
                checked.add(candidate);
                java.util.Map<Integer, Integer> own = new java.util.TreeMap<>();
                for (JsonNode rung : plan.path("rungs")) {
                    if (!rung.hasNonNull("leader")) {
                        own.put(rung.path("step").asInt(), rung.path("trials").asInt());
                    }
                }
                // A trial pruned at round 80 has no value at 160: that rung may have fewer than three and be left out.
                assertEquals(3, own.get(80), () -> candidate + "'s fourth trial: " + plan);
                assertTrue(Set.of(80, 160).containsAll(own.keySet()), () -> candidate + "'s fourth trial: " + plan);
            }
        }
        assertFalse(checked.isEmpty(), () -> "no candidate got four trials: " + seen);
        io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(h.client().fetchHistory(searchId),
                dev.trainlayer.workflows.workflow.SearchWorkflowImpl.class);
    }

    @Test
    void aTrialStartedBeforeAnyBarIsHeldToTheBarsSetWhileItRuns() throws Exception {
        // Two trials at a time, each candidate's own parameters first: a "slow" MLP that cannot learn (learning rate
        // 1e-8, 4000 epochs, patience past them: ~20 s here) beside XGBoost. The MLP starts with no bar, since nothing
        // has finished. XGBoost trials finish beside it; once three have, XGBoost leads, and at the MLP's next check
        // from the third on (epoch 20) it asks the search for its plan and is held to their median, far ahead of it.
        PipelineSpec spec = h.spec("bc-live", "search: {trials: 6, parallelism: 2, seed: 3}\nmetric: log_loss", """
                models:
                  - type: mlp
                    name: slow
                    params: {learningRate: 0.00000001, maxEpochs: 4000, patience: 5000}
                    space:
                      dropout: {low: 0.0, high: 0.1}
                  - type: xgboost
                    params: {numRounds: 40, earlyStoppingRounds: 10}
                    space:
                      maxDepth: {low: 2, high: 4}
                """);
        RunState state = result(h.start(spec, "run-34"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        String searchId = "retrain/bc-live/run-34/search";
        SearchResult search = h.client().newUntypedWorkflowStub(searchId).getResult(SearchResult.class);
        // The plan 000-slow started with (the activity's input, in the history) had no bar: nothing had finished.
        JsonNode launched = trialInputs(searchId).stream().filter(i -> i.path("trialId").asText().equals("000-slow"))
                .findFirst().orElseThrow().path("pruning");
        assertEquals(0, launched.path("rungs").size(), launched::toString);
        TrialResult slow = search.trials().stream().filter(t -> t.trialId().equals("000-slow")).findFirst().orElseThrow();
        assertEquals(TrialResult.PRUNED, slow.status(), slow::toString);
        assertTrue(slow.failure().matches("pruned \\(median\\) at epoch \\d+: validation log_loss .* is worse than the median .* of "
                + "the \\d+ trials of xgboost, the leading candidate"), slow.failure());
        assertTrue(slow.epochs() >= 20 && slow.epochs() < 4000, () -> slow.epochs() + " epochs");
        assertFalse(Double.isNaN(slow.objective()), "a pruned trial keeps the value it stopped with");
        long xgboostDone = search.trials().stream().filter(t -> t.type() == ModelType.XGBOOST && t.completed()).count();
        assertTrue(xgboostDone >= 3, () -> "three XGBoost trials set the bar: " + search.trials());
        assertEquals(ModelType.XGBOOST, state.trials().stream().filter(t -> t.trialId().equals(state.bestTrial()))
                .findFirst().orElseThrow().type());
        // The decision is in the trial's result: the search replays without asking anyone.
        io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(h.client().fetchHistory(searchId),
                dev.trainlayer.workflows.workflow.SearchWorkflowImpl.class);
    }

    @Test
    void aSpecWithoutCandidatesSearchesTheTreesTheNetworkAndBothBaselines() {
        // No models block: the default families, searched with the spec's seed; the run history is recorded for the
        // replay test (the families are chosen under Workflow.getVersion("default-families")).
        PipelineSpec spec = h.spec("bc-families", "search: {trials: 10, parallelism: 2, seed: 3}", "");
        RunState state = result(h.start(spec, "run-25"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        SearchResult search = h.client().newUntypedWorkflowStub("retrain/bc-families/run-25/search").getResult(SearchResult.class);
        assertEquals(10, search.trials().size());
        Set<ModelType> tried = search.trials().stream().map(TrialResult::type).collect(Collectors.toSet());
        assertEquals(Set.of(ModelType.XGBOOST, ModelType.MLP, ModelType.LINEAR, ModelType.FOREST), tried,
                "every default family gets a trial: " + search.trials());
        // The search starts from each family's defaults, in the default order, before its design points.
        for (int i = 0; i < PipelineSpec.DEFAULT_FAMILIES.size(); i++) {
            ModelType family = PipelineSpec.DEFAULT_FAMILIES.get(i);
            String id = String.format("%03d-%s", i, family.wire());
            TrialResult first = search.trials().stream().filter(t -> t.trialId().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no trial " + id + ": " + search.trials()));
            for (String param : family.defaultSpace().keySet()) {
                Object expected = family.defaults().get(param);
                Object actual = first.params().get(param);
                if (expected instanceof Number n) {
                    assertEquals(n.doubleValue(), ((Number) actual).doubleValue(), 1e-12 * Math.abs(n.doubleValue()),
                            first.trialId() + "." + param);
                } else {
                    assertEquals(String.valueOf(expected), String.valueOf(actual), first.trialId() + "." + param);
                }
            }
        }
        for (ModelType baseline : List.of(ModelType.LINEAR, ModelType.FOREST)) {
            TrialResult t = search.trials().stream().filter(r -> r.type() == baseline && r.completed()).findFirst()
                    .orElseThrow(() -> new AssertionError("no completed " + baseline.wire() + " trial: " + search.trials()));
            assertTrue(t.objective() > 0.9, baseline.wire() + " learns breast cancer: " + t.objective());
            assertTrue(t.params().containsKey(baseline == ModelType.LINEAR ? "lambda" : "colsampleBynode"), t.params()::toString);
        }
        assertTrue(state.metrics().get("accuracy") >= 0.9, state.metrics()::toString);
    }

    @Test
    void trialsRunningAtTheTimeBudgetStopThereAndKeepTheirBestModel() {
        // 400 epochs of patience take ~10 s here; the 2 s budget ends both trials long before, and they complete with
        // the best epoch they reached instead of running on (or being thrown away).
        PipelineSpec spec = h.spec("bc-deadline", "search: {trials: 2, parallelism: 2, timeBudget: 2s, seed: 2}", """
                models:
                  - type: mlp
                    params: {hiddenLayers: [32], batchSize: 16, maxEpochs: 400, patience: 400}
                    space:
                      learningRate: {low: 0.0001, high: 0.001, log: true}
                """);
        RunState state = result(h.start(spec, "run-28"));
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        SearchResult search = h.client().newUntypedWorkflowStub("retrain/bc-deadline/run-28/search").getResult(SearchResult.class);
        assertEquals(2, search.trials().size(), search.trials()::toString);
        for (TrialResult t : search.trials()) {
            assertEquals(TrialResult.COMPLETED, t.status(), t::toString);
            assertTrue(t.epochs() >= 1 && t.epochs() < 400, () -> t.trialId() + " trained " + t.epochs() + " epochs");
            assertTrue(t.model() != null && t.objective() > 0.5, t::toString);
            assertTrue(t.failure() != null && t.failure().startsWith("stopped at the search's time budget after epoch "
                    + t.epochs() + " of 400"), () -> "the trial table says why it stopped: " + t.failure());
        }
        assertTrue(state.trials().stream().filter(t -> !t.trialId().endsWith("/refit"))
                .allMatch(t -> t.failure() != null && t.failure().contains("time budget")), state.trials()::toString);
        assertTrue(state.metrics().get("roc_auc") > 0.9, state.metrics()::toString);
    }

    @Test
    void theBaselinesAreRefitRegisteredAndScored() {
        // The forest alone (no search: one trial, no refit) and the linear model searched (its winner refit on training
        // and validation rows): each is evaluated on the test rows by loading the stored model, then registered.
        RunState forest = result(h.start(h.spec("bc-forest", "", """
                models:
                  - type: forest
                    params: {trees: 40}
                """), "run-26"));
        assertEquals(RunStatus.SUCCEEDED, forest.status(), () -> String.valueOf(forest.reasons()));
        assertEquals(1, forest.trials().size());
        assertTrue(forest.metrics().get("roc_auc") >= 0.95, forest.metrics()::toString);
        assertEquals(ModelType.FOREST, h.registry("bc-forest").versions().get(0).type());

        RunState linear = result(h.start(h.spec("bc-linear", "search: {trials: 3, seed: 4}", """
                models:
                  - type: linear
                """), "run-27"));
        assertEquals(RunStatus.SUCCEEDED, linear.status(), () -> String.valueOf(linear.reasons()));
        TrialSummary refit = linear.trials().stream().filter(t -> t.trialId().equals(linear.bestTrial() + "/refit")).findFirst()
                .orElseThrow(() -> new AssertionError("no refit: " + linear.trials()));
        assertEquals(ModelType.LINEAR, refit.type());
        assertTrue(linear.metrics().get("roc_auc") >= 0.97, linear.metrics()::toString);
        assertEquals(ModelType.LINEAR, h.registry("bc-linear").versions().get(0).type());
    }

    @Test
    void aLongSearchContinuesAsNewAndKeepsEveryTrial() {
        PipelineSpec spec = h.spec("bc-long", "search: {trials: 5, parallelism: 2, algorithm: random}", """
                models:
                  - type: xgboost
                    params: {numRounds: 30, earlyStoppingRounds: 5}
                    space:
                      maxDepth: {low: 2, high: 4}
                """).withDefaults();
        DataActivitiesImpl data = new DataActivitiesImpl(h.store.store);
        SnapshotResult snapshot = data.snapshot(new SnapshotInput("run-22", spec.name(), spec.data().uri()));
        FeaturesResult features = data.buildFeatures(new FeaturesInput("run-22", spec, snapshot));
        SearchWorkflow search = h.client().newWorkflowStub(SearchWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId("retrain/bc-long/run-22/search").setTaskQueue(TaskQueues.CONTROL).build());
        SearchInput input = new SearchInput("run-22", spec, features, List.of(), List.of(), 0, 0, 0, 2);
        WorkflowExecution first = WorkflowClient.start(search::run, input);
        SearchResult result = WorkflowStub.fromTyped(search).getResult(SearchResult.class);

        assertEquals(5, result.trials().size());
        assertEquals(5, result.trials().stream().map(TrialResult::trialId).collect(Collectors.toSet()).size(),
                "no trial is lost or repeated across executions");
        assertEquals("trial budget of 5 used", result.stopReason());
        List<HistoryEvent> events = h.client().fetchHistory(first.getWorkflowId(), first.getRunId()).getEvents();
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, events.get(events.size() - 1).getEventType(),
                "the first execution handed over after 2 trials");
        assertNull(result.trials().stream().filter(t -> !t.completed()).findFirst().orElse(null));
    }
}
