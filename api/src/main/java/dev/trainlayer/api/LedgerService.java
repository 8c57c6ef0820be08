package dev.trainlayer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.spec.Metric;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads run ledgers from the store: a pipeline's trials across its runs, and its best configuration. */
@Singleton
public class LedgerService {
    private final ObjectStore store;
    private final ObjectMapper json;

    public LedgerService(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** One ledger line flattened for the API: where the trial ran and what it found. */
    public record Entry(String runId, String datasetSha256, String metric, String trialId, String candidate, String type,
                        String status, Double objective, Map<String, Object> params, Map<String, Double> validationMetrics,
                        int epochs, long durationMs, String failure, Double objectiveStd, Long seed) {}

    public List<Entry> trials(String pipeline) {
        List<Entry> out = new ArrayList<>();
        for (String key : store.list(Keys.pipelineRuns(pipeline))) {
            String runId = key.substring(key.lastIndexOf('/') + 1).replace(".json", "");
            if (reproduction(key)) {
                continue;   // its one trial repeats the version's own, already in the history
            }
            Optional<String> metric = metricOf(runId);
            String ledger;
            try {
                ledger = new String(store.getBytes(store.bucket(), Keys.ledger(runId)), StandardCharsets.UTF_8);
            } catch (ObjectNotFoundException e) {
                continue; // a run still training, or one that failed before its trials
            }
            for (String line : ledger.split("\n")) {
                if (!line.isBlank()) {
                    out.add(entry(line, metric.orElse(null)));
                }
            }
        }
        return out;
    }

    /** Completed trials best first, by each trial's own run metric (all runs of a pipeline usually share one). */
    public List<Entry> ranked(String pipeline) {
        List<Entry> completed = new ArrayList<>(trials(pipeline).stream()
                .filter(e -> "COMPLETED".equals(e.status()) && e.objective() != null && e.metric() != null).toList());
        completed.sort(Comparator.comparingDouble(e -> Metric.parse(e.metric()).higherIsBetter() ? -e.objective() : e.objective()));
        return completed;
    }

    /** Whether the pipeline's index entry at {@code key} is a reproduction run. */
    private boolean reproduction(String key) {
        try {
            return json.readValue(store.getBytes(store.bucket(), key), RunRecord.class).reproduces() != null;
        } catch (ObjectNotFoundException | IOException e) {
            return false;
        }
    }

    private Optional<String> metricOf(String runId) {
        try {
            JsonNode spec = json.readTree(store.getBytes(store.bucket(), Keys.runSpec(runId)));
            return Optional.ofNullable(spec.path("metric").asText(null));
        } catch (ObjectNotFoundException | IOException e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private Entry entry(String line, String metric) {
        try {
            JsonNode node = json.readTree(line);
            JsonNode t = node.path("trial");
            Map<String, Object> params = json.convertValue(t.path("params"), LinkedHashMap.class);
            Map<String, Double> validation = json.convertValue(t.path("validationMetrics"), LinkedHashMap.class);
            JsonNode objective = t.path("objective");
            return new Entry(node.path("runId").asText(), node.path("datasetSha256").asText(null), metric,
                    t.path("trialId").asText(), t.path("candidate").asText(), t.path("type").asText(), t.path("status").asText(),
                    objective.isNumber() ? objective.asDouble() : null, params, validation, t.path("epochs").asInt(),
                    t.path("durationMs").asLong(), t.path("failure").asText(null),
                    t.path("objectiveStd").isNumber() ? t.path("objectiveStd").asDouble() : null,
                    t.path("seed").isNumber() ? t.path("seed").asLong() : null);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable ledger line: " + line, e);
        }
    }
}
