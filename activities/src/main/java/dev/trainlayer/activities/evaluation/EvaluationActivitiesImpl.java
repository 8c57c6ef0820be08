package dev.trainlayer.activities.evaluation;

import dev.trainlayer.activities.Liveness;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Json;
import dev.trainlayer.store.ArtifactCorruptException;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.scoring.Metrics;
import dev.trainlayer.scoring.Scorer;
import dev.trainlayer.workflows.activity.EvaluateInput;
import dev.trainlayer.workflows.activity.EvaluationActivities;
import dev.trainlayer.workflows.activity.EvaluationResult;
import dev.trainlayer.workflows.activity.ModelArtifacts;
import dev.trainlayer.workflows.activity.PairedComparison;
import dev.trainlayer.workflows.spec.Task;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the challenger and the champion on the same frozen raw test rows. Each model brings its own
 * fitted feature pipeline, so a champion trained on an older schema is still scored fairly.
 */
public class EvaluationActivitiesImpl implements EvaluationActivities {
    private static final Logger log = LoggerFactory.getLogger(EvaluationActivitiesImpl.class);

    private final ObjectStore store;

    public EvaluationActivitiesImpl(ObjectStore store) {
        this.store = store;
    }

    @Override
    public EvaluationResult evaluate(EvaluateInput input) {
        try (Liveness alive = Liveness.start()) {
            return evaluateBody(input);
        }
    }

    private EvaluationResult evaluateBody(EvaluateInput input) {
        Table test = testRows(store, input.testRaw(), input.runId());
        Scored challengerScored = scored(input.challenger(), test);
        Map<String, Double> challenger = challengerScored.metrics();
        Map<String, Double> champion = null;
        PairedComparison comparison = null;
        Scored championScored = null;
        if (input.champion() != null) {
            try {
                championScored = scored(input.champion(), test);
                champion = championScored.metrics();
            } catch (ArtifactCorruptException e) {
                // A champion whose files changed since it was registered is not to be trusted, nor silently skipped.
                throw e;
            } catch (RuntimeException e) {
                // A champion that can no longer be scored must not block its replacement; the gate sees no value.
                log.warn("run {}: champion could not be scored on the test rows: {}", input.runId(), e.getMessage());
            }
        }
        if (championScored != null && input.significance() != null) {
            // Outside the catch above: a comparison that fails is the run's problem to see, not a silent "no test".
            comparison = Significance.compare(input.significance().withDefaults(), input.metric(), challengerScored,
                    championScored, input.seed() == null ? 0L : input.seed());
            log.info("run {}: {}", input.runId(), comparison);
        }
        log.info("run {}: challenger {} / champion {} on {} test rows", input.runId(), challenger, champion, test.size());
        return new EvaluationResult(challenger, champion, test.size(), comparison, evidence(input, challengerScored));
    }

    /** A run's frozen test rows; gone from the store is not something a retry fixes. */
    public static Table testRows(ObjectStore store, ArtifactRef testRaw, String runId) {
        try (InputStream in = store.open(testRaw)) {
            return Table.read(in);
        } catch (ObjectNotFoundException e) {
            throw Failures.nonRetryable(FailureTypes.ARTIFACT_MISSING, "the run's frozen test rows " + testRaw.uri()
                    + " are gone from the store; restore the object (bucket versioning or a backup) and reset the run"
                    + " (POST /api/v1/runs/" + runId + "/reset), which keeps its finished trials");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read test rows " + testRaw.uri() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The challenger's evidence for its model card, written to the run's {@code evaluation.json}. A card without it is
     * still a card: a failure here is logged, never the run's.
     */
    private ArtifactRef evidence(EvaluateInput input, Scored challenger) {
        try {
            ModelEvidence evidence = ModelEvidence.of(challenger, challenger.classNames(), input.seed() == null ? 0L : input.seed());
            return store.putBytes(Keys.run(input.runId()) + "evaluation.json", Json.bytes(evidence), "application/json");
        } catch (RuntimeException e) {
            log.warn("run {}: the model card's evidence (metric intervals, per-class metrics) could not be computed: {}", input.runId(),
                    e.toString());
            return null;
        }
    }

    /** A model's outputs on the test rows, its encoded labels, its class names (classification) and its metrics. */
    record Scored(double[][] outputs, float[] labels, Task task, int classes, Map<String, Double> metrics, List<String> classNames) {
        Scored(double[][] outputs, float[] labels, Task task, int classes, Map<String, Double> metrics) {
            this(outputs, labels, task, classes, metrics, List.of());
        }
    }

    /** The test-set metrics of a model, scored through {@link Scorer}: the path the API's predictions take too. */
    public Map<String, Double> score(ModelArtifacts artifacts, Table test) {
        return scored(artifacts, test).metrics();
    }

    Scored scored(ModelArtifacts artifacts, Table test) {
        try (Scorer scorer = Scorer.load(store, artifacts)) {
            Scorer.Scored scored = scorer.score(test);
            Task task = scorer.pipeline().task();
            int classes = scorer.pipeline().classes().size();
            return new Scored(scored.outputs(), scored.features().labels(), task, classes,
                    Metrics.score(scored.outputs(), scored.features(), task, classes), List.copyOf(scorer.pipeline().classes()));
        }
    }
}
