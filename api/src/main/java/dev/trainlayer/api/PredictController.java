package dev.trainlayer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.scoring.Scorer;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.RegistryState;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/v1/models/{model}/predict}: scores rows with the champion (or {@code ?version=N}) through the same
 * {@link Scorer} evaluation uses, and logs every prediction with its id under {@code predictions/} so late labels can
 * be joined to it. A row the model cannot read gets an error naming the column; the other rows are still scored.
 */
@Controller("/api/v1/models")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PredictController {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PART = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ServingRegistry models;
    private final Scorers scorers;
    private final ObjectStore store;
    private final ObjectMapper json;
    private final int maxRows;

    public PredictController(ServingRegistry models, Scorers scorers, ObjectStore store, ObjectMapper json,
                             @Value("${trainlayer.api.scoring.max-rows:10000}") int maxRows) {
        this.models = models;
        this.scorers = scorers;
        this.store = store;
        this.json = json;
        this.maxRows = maxRows;
    }

    /** Rows as JSON {@code {"rows":[{column: value}]}} or a CSV body with a header line. */
    @Post(value = "/{model}/predict", consumes = {MediaType.APPLICATION_JSON, "text/csv", MediaType.TEXT_PLAIN})
    @Allowed(Role.VIEWER)
    public Map<String, Object> predict(@PathVariable String model, @Nullable @QueryValue Integer version, @Body String body,
                                       @Nullable @Header(HttpHeaders.CONTENT_TYPE) String contentType,
                                       @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        List<Map<String, Object>> rows = rows(body, contentType);
        RegistryState state = models.state(caller.project(), model);
        ModelVersion chosen;
        if (version != null) {
            chosen = state.version(version).or(() -> models.fresh(caller.project(), model).version(version))
                    .orElseThrow(() -> ApiException.notFound("model '" + model + "' has no version " + version));
        } else {
            chosen = state.championVersion().orElseThrow(() -> ApiException.conflict("model '" + model
                    + "' has no champion yet: pass ?version=N to score with a registered version"));
        }
        String registry = Projects.qualify(caller.project(), model);
        List<Scorer.Prediction> predictions = scorers.with(registry, chosen, scorer -> scorer.predict(rows));

        Instant now = Instant.now();
        String part = PART.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> answers = new ArrayList<>(predictions.size());
        StringBuilder log = new StringBuilder();
        for (Scorer.Prediction p : predictions) {
            Map<String, Object> answer = new LinkedHashMap<>();
            if (p.failed()) {
                answer.put("row", p.row());
                answer.put("error", p.error());
            } else {
                String id = part + "." + p.row();
                answer.put("predictionId", id);
                answer.put("prediction", p.prediction());
                if (p.probabilities() != null) {
                    answer.put("probabilities", p.probabilities());
                }
                log.append(line(id, chosen.version(), now, rows.get(p.row()), p)).append('\n');
            }
            answers.add(answer);
        }
        if (log.length() > 0) {
            // One part per request, written whole: the log never holds half a request.
            store.putBytes(Keys.predictionLog(registry, DAY.format(now), part), log.toString().getBytes(StandardCharsets.UTF_8),
                    "application/x-ndjson");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("version", chosen.version());
        out.put("predictions", answers);
        return out;
    }

    private String line(String id, int version, Instant at, Map<String, Object> row, Scorer.Prediction p) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("predictionId", id);
        entry.put("version", version);
        entry.put("at", at.toString());
        entry.put("features", row);
        entry.put("prediction", p.prediction());
        if (p.probabilities() != null) {
            entry.put("probabilities", p.probabilities());
        }
        try {
            return json.writeValueAsString(entry);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Map<String, Object>> rows(String body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (type.startsWith("text/csv") || type.startsWith("text/plain")) {
            Table table;
            try {
                table = Table.read(new StringReader(body == null ? "" : body));
            } catch (IOException | RuntimeException e) {
                throw ApiException.badRequest("body", "not a CSV with a header line: " + e.getMessage());
            }
            for (int r = 0; r < table.size(); r++) {
                rows.add(table.record(r));
            }
        } else {
            JsonNode root;
            try {
                root = json.readTree(body == null ? "" : body);
            } catch (IOException e) {
                throw ApiException.badRequest("$", "malformed JSON");
            }
            if (root == null || !root.path("rows").isArray()) {
                throw ApiException.badRequest("rows", "give the rows to score as {\"rows\": [{column: value, …}]}");
            }
            int i = 0;
            for (JsonNode node : root.path("rows")) {
                if (!node.isObject()) {
                    throw ApiException.badRequest("rows[" + i + "]", "must be an object of column: value");
                }
                Map<String, Object> row = new LinkedHashMap<>();
                node.fields().forEachRemaining(f -> row.put(f.getKey(), value(f.getValue())));
                rows.add(row);
                i++;
            }
        }
        if (rows.isEmpty()) {
            throw ApiException.badRequest("rows", "no rows to score");
        }
        if (rows.size() > maxRows) {
            throw ApiException.badRequest("rows", rows.size() + " rows; at most " + maxRows + " per request (batch scoring takes more)");
        }
        return rows;
    }

    private static Object value(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.numberValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
