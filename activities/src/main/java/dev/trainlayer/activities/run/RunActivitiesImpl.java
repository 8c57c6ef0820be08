package dev.trainlayer.activities.run;

import dev.trainlayer.activities.Json;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.LedgerInput;
import dev.trainlayer.workflows.activity.RunActivities;
import dev.trainlayer.workflows.activity.TrialResult;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.workflow.RunState;
import java.util.LinkedHashMap;
import java.util.Map;

/** The run's trial ledger (one JSON line per trial) and its final report, both idempotent overwrites. */
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
            lines.append(Json.line(entry)).append('\n');
        }
        return store.putString(Keys.ledger(input.runId()), lines.toString(), "application/x-ndjson");
    }

    @Override
    public ArtifactRef writeReport(RunState state) {
        return store.putBytes(Keys.report(state.runId()), Json.bytes(state), "application/json");
    }
}
