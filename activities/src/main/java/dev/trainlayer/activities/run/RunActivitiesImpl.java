package dev.trainlayer.activities.run;

import dev.trainlayer.activities.Json;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.LedgerInput;
import dev.trainlayer.workflows.activity.RunActivities;
import dev.trainlayer.workflows.activity.RunIndexInput;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.activity.EpochMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run's trial ledger (one JSON line per trial, with its learning curve read back from the store) and its
 * final report, both idempotent overwrites.
 */
public class RunActivitiesImpl implements RunActivities {
    private final ObjectStore store;

    public RunActivitiesImpl(ObjectStore store) {
        this.store = store;
    }

    @Override
    public ArtifactRef writeLedger(LedgerInput input) {
        StringBuilder lines = new StringBuilder();
        for (TrialResult trial : input.trials()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("runId", input.runId());
            entry.put("pipeline", input.pipeline());
            entry.put("datasetSha256", input.datasetSha256());
            entry.put("trial", trial);
            Map<String, Object> curves = curves(input.runId(), trial.trialId());
            if (curves.containsKey("")) {
                entry.put("curve", curves.remove(""));
            }
            if (!curves.isEmpty()) {
                entry.put("foldCurves", curves);
            }
            lines.append(Json.line(entry)).append('\n');
        }
        return store.putString(Keys.ledger(input.runId()), lines.toString(), "application/x-ndjson");
    }

    /**
     * The per-epoch learning curves a trial stored, from its last attempt: under "" for the trial itself,
     * under "fold-k" for each fold of a cross-validated trial.
     */
    private Map<String, Object> curves(String runId, String trialId) {
        String prefix = Keys.trial(runId, trialId);
        Map<String, String> latest = new TreeMap<>();
        Map<String, Integer> attempts = new TreeMap<>();
        for (String key : store.list(prefix)) {
            Matcher m = CURVE.matcher(key.substring(prefix.length()));
            if (!m.matches()) {
                continue;
            }
            String part = m.group(1) == null ? "" : m.group(1);
            int attempt = Integer.parseInt(m.group(2));
            if (attempt > attempts.getOrDefault(part, 0)) {
                attempts.put(part, attempt);
                latest.put(part, key);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        latest.forEach((part, key) -> out.put(part, Json.read(store.getBytes(store.bucket(), key), EpochMetrics[].class)));
        return out;
    }

    /** {@code attempt-N/curve.json} of the trial, or {@code fold-K/attempt-N/curve.json} of one of its folds. */
    private static final Pattern CURVE = Pattern.compile("(?:(fold-\\d+)/)?attempt-(\\d+)/curve\\.json");

    @Override
    public void indexRun(RunIndexInput input) {
        // The same shape as the API's run record, so the API finds scheduled runs like its own.
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("runId", input.runId());
        record.put("workflowId", input.workflowId());
        record.put("pipeline", input.pipeline());
        record.put("model", input.model());
        record.put("createdAt", input.createdAt());
        record.put("idempotencyKey", null);
        record.put("specHash", input.specHash());
        record.put("project", input.project());
        store.putString(Keys.runSpec(input.runId()), SpecParser.canonicalJson(input.spec()), "application/json");
        store.putBytes(Keys.runIndex(input.runId()), Json.bytes(record), "application/json");
        store.putBytes(Keys.pipelineRun(Projects.qualify(input.project(), input.pipeline()), input.runId()), Json.bytes(record),
                "application/json");
    }

    @Override
    public ArtifactRef writeReport(RunState state) {
        return store.putBytes(Keys.report(state.runId()), Json.bytes(state), "application/json");
    }
}
