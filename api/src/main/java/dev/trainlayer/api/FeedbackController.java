package dev.trainlayer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.FeedbackParts;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.Task;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/pipelines/{name}/feedback}: labelled production rows (a CSV with the training columns), or late
 * labels for logged predictions ({@code {"labels":[{predictionId, label}]}}), joined to the logged inputs. Each post is
 * one feedback part under {@code feedback/{pipeline}/}, named by when it arrived, its content hash and its rows (see
 * {@link FeedbackParts}); posting the same rows again is a no-op. The pipeline's next run takes the parts in
 * ({@code data.feedback}), and its monitor counts them as new labels.
 */
@Controller("/api/v1/pipelines")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FeedbackController {
    /** A prediction id: the log part's time and random suffix, then the row's number in its request. */
    private static final Pattern PREDICTION_ID = Pattern.compile("((\\d{4})(\\d{2})(\\d{2})T\\d{6}Z-[0-9a-f]{8})\\.(\\d{1,6})");
    /** A log line's id, read before parsing the line (only the rows asked for are parsed). */
    private static final Pattern LOGGED_ID = Pattern.compile("\"predictionId\"\\s*:\\s*\"([^\"]+)\"");

    private final ObjectStore store;
    private final ObjectMapper json;
    private final PipelineSpecs specs;
    private final ModelsController models;
    private final int maxRows;

    public FeedbackController(ObjectStore store, ObjectMapper json, PipelineSpecs specs, ModelsController models,
                              @Value("${trainlayer.api.feedback.max-rows:100000}") int maxRows) {
        this.models = models;
        this.store = store;
        this.json = json;
        this.specs = specs;
        this.maxRows = maxRows;
    }

    @Post(value = "/{name}/feedback", consumes = {MediaType.APPLICATION_JSON, "text/csv", MediaType.TEXT_PLAIN})
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> post(@PathVariable String name, @Body String body,
                                                  @Nullable @Header(HttpHeaders.CONTENT_TYPE) String contentType,
                                                  @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        PipelinesController.checkName(name);
        PipelineSpec spec = specs.require(caller.project(), name);
        String pipeline = Projects.qualify(caller.project(), name);
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        List<Map<String, Object>> rejected = new ArrayList<>();
        Table accepted = type.startsWith("text/csv") || type.startsWith("text/plain")
                ? fromCsv(body, spec, rejected)
                : fromLabels(body, spec, Projects.qualify(caller.project(), spec.modelName()), rejected);
        if (accepted.size() == 0) {
            throw ApiException.badRequest(type.startsWith("text/") ? "body" : "labels", "no row was accepted; "
                    + rejected.stream().limit(3).map(r -> r.get("error").toString()).reduce((a, b) -> a + "; " + b).orElse("no rows"));
        }
        byte[] bytes = accepted.toCsv().getBytes(StandardCharsets.UTF_8);
        String sha256 = ObjectStore.sha256(bytes);
        Optional<FeedbackParts.Part> same = parts(pipeline).stream()
                .filter(p -> sha256.startsWith(p.contentSha256Prefix()) && p.rows() == accepted.size()).findFirst();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pipeline", name);
        String key;
        if (same.isPresent()) {
            key = same.get().key();
            out.put("duplicate", true);
        } else {
            key = FeedbackParts.key(pipeline, System.currentTimeMillis(), sha256, accepted.size());
            store.putBytes(key, bytes, "text/csv");
            out.put("duplicate", false);
        }
        out.put("part", key);
        out.put("rows", accepted.size());
        out.put("rejected", rejected);
        out.put("warnings", unknownClasses(caller.project(), spec, accepted));
        return HttpResponse.<Map<String, Object>>status(same.isPresent() ? HttpStatus.OK : HttpStatus.CREATED).body(out);
    }

    /** The pipeline's feedback parts, newest first, and the rows they hold. */
    @Get("/{name}/feedback")
    @Allowed(Role.VIEWER)
    public Map<String, Object> list(@PathVariable String name, @Nullable @QueryValue Integer limit,
                                    @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        PipelinesController.checkName(name);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 10_000) {
            throw ApiException.badRequest("limit", "must be between 1 and 10000");
        }
        List<FeedbackParts.Part> parts = new ArrayList<>(parts(Projects.qualify(caller.project(), name)));
        parts.sort(Comparator.comparingLong(FeedbackParts.Part::receivedAtMillis).reversed());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pipeline", name);
        out.put("totalRows", parts.stream().mapToLong(FeedbackParts.Part::rows).sum());
        out.put("totalParts", parts.size());
        out.put("parts", parts.stream().limit(n).map(p -> Map.of("part", p.key(),
                "receivedAt", Instant.ofEpochMilli(p.receivedAtMillis()).toString(), "rows", p.rows())).toList());
        return out;
    }

    private List<FeedbackParts.Part> parts(String pipeline) {
        return store.list(store.bucket(), Keys.feedback(pipeline)).stream()
                .map(key -> FeedbackParts.parse(Keys.feedback(pipeline), key)).flatMap(Optional::stream).toList();
    }

    private Table fromCsv(String body, PipelineSpec spec, List<Map<String, Object>> rejected) {
        Table table;
        try {
            table = Table.read(new StringReader(body == null ? "" : body));
        } catch (IOException e) {
            throw ApiException.badRequest("body", "not a CSV with a header line: " + e.getMessage());
        }
        String target = spec.target();
        if (!table.hasColumn(target)) {
            throw ApiException.badRequest("body", "has no column '" + target + "', the pipeline's target: feedback rows carry "
                    + "their label (columns are: " + String.join(", ", table.header()) + ")");
        }
        checkSize(table.size());
        int t = table.column(target);
        List<String[]> rows = new ArrayList<>();
        for (int r = 0; r < table.size(); r++) {
            String label = table.rows().get(r)[t];
            String why = labelProblem(spec, label);
            if (why != null) {
                rejected.add(Map.of("row", r, "error", "row " + r + " (CSV line " + (r + 2) + "): " + why));
            } else {
                rows.add(table.rows().get(r));
            }
        }
        return new Table(table.header(), rows);
    }

    private Table fromLabels(String body, PipelineSpec spec, String registry, List<Map<String, Object>> rejected) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw ApiException.badRequest("$", "malformed JSON");
        }
        if (root == null || !root.path("labels").isArray()) {
            throw ApiException.badRequest("labels", "give late labels as {\"labels\": [{\"predictionId\": …, \"label\": …}]}, "
                    + "or post a CSV with the training columns (Content-Type: text/csv)");
        }
        checkSize(root.path("labels").size());
        // The logged rows of the ids asked for, each log part streamed once and only those rows kept (a batch job's
        // part can hold a million predictions).
        Map<String, java.util.Set<String>> wanted = new HashMap<>();
        for (JsonNode item : root.path("labels")) {
            String id = item.path("predictionId").isTextual() ? item.path("predictionId").asText() : null;
            String key = id == null ? null : logKey(registry, id);
            if (key != null) {
                wanted.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(id);
            }
        }
        Map<String, JsonNode> logs = new HashMap<>();
        wanted.forEach((key, ids) -> read(key, ids, logs));
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        List<Map<String, String>> joined = new ArrayList<>();
        int i = 0;
        for (JsonNode item : root.path("labels")) {
            String at = "labels[" + i + "]";
            String id = item.path("predictionId").isTextual() ? item.path("predictionId").asText() : null;
            JsonNode labelNode = item.path("label");
            String label = labelNode.isMissingNode() || labelNode.isNull() ? null
                    : labelNode.isValueNode() ? labelNode.asText() : null;
            String why = id == null ? "predictionId is missing (the id a predict call answered with)" : labelProblem(spec, label);
            JsonNode logged = null;
            if (why == null) {
                logged = logs.get(id);
                if (logged == null) {
                    why = "no logged prediction '" + id + "' of model " + Projects.nameOf(registry);
                }
            }
            if (why != null) {
                rejected.add(Map.of("index", i, "error", at + ": " + why));
                i++;
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            logged.path("features").fields().forEachRemaining(f -> {
                if (!f.getKey().equals(spec.target()) && !f.getKey().equals(FeedbackParts.PREDICTION_ID)) {
                    row.put(f.getKey(), f.getValue().isNull() ? "" : f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString());
                }
            });
            columns.addAll(row.keySet());
            row.put(spec.target(), label);
            row.put(FeedbackParts.PREDICTION_ID, id);
            joined.add(row);
            i++;
        }
        List<String> header = new ArrayList<>(columns);
        header.add(spec.target());
        header.add(FeedbackParts.PREDICTION_ID);
        List<String[]> rows = new ArrayList<>();
        for (Map<String, String> row : joined) {
            String[] fields = new String[header.size()];
            for (int c = 0; c < fields.length; c++) {
                fields[c] = row.getOrDefault(header.get(c), "");
            }
            rows.add(fields);
        }
        return new Table(header, rows);
    }

    /** The log part a prediction id names, or null for an id of another form. */
    private static String logKey(String registry, String id) {
        Matcher m = PREDICTION_ID.matcher(id);
        if (!m.matches()) {
            return null;
        }
        return Keys.predictionLog(registry, m.group(2) + "-" + m.group(3) + "-" + m.group(4), m.group(1));
    }

    /** Streams one log part and keeps the rows of {@code ids} in {@code found}. */
    private void read(String key, java.util.Set<String> ids, Map<String, JsonNode> found) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(store.open(store.bucket(), key), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Matcher m = LOGGED_ID.matcher(line);
                if (m.find() && ids.contains(m.group(1))) {
                    JsonNode node = json.readTree(line);
                    found.put(node.path("predictionId").asText(), node);
                }
            }
        } catch (ObjectNotFoundException e) {
            // no such part: its ids answer "no logged prediction"
        } catch (IOException e) {
            throw new IllegalStateException("cannot read prediction log " + key + ": " + e.getMessage(), e);
        }
    }

    /** Labels the champion has never seen: kept (a class can be new), but most often a spelling to fix. */
    private List<String> unknownClasses(String project, PipelineSpec spec, Table rows) {
        if (spec.task() != Task.CLASSIFICATION) {
            return List.of();
        }
        Optional<dev.trainlayer.workflows.registry.ModelVersion> champion;
        try {
            champion = models.state(project, spec.modelName()).championVersion();
        } catch (RuntimeException e) {
            return List.of();
        }
        if (champion.isEmpty() || champion.get().classes() == null || champion.get().classes().isEmpty()) {
            return List.of();
        }
        java.util.Set<String> known = new java.util.HashSet<>(champion.get().classes());
        Map<String, Integer> unknown = new LinkedHashMap<>();
        int t = rows.column(spec.target());
        for (String[] row : rows.rows()) {
            String label = row[t].trim();
            if (!known.contains(label)) {
                unknown.merge(label, 1, Integer::sum);
            }
        }
        return unknown.entrySet().stream().limit(5).map(e -> "label '" + e.getKey() + "' (" + e.getValue() + " rows) is not a "
                + "class version " + champion.get().version() + " knows (" + String.join(", ", champion.get().classes())
                + "): check its spelling; the next run would learn it as a new class").toList();
    }

    private static String labelProblem(PipelineSpec spec, String label) {
        if (label == null || Table.isMissing(label)) {
            return "the label ('" + spec.target() + "') is empty";
        }
        if (spec.task() == Task.REGRESSION && !Table.isNumber(label.trim())) {
            return "the label '" + label + "' is not a number (the pipeline is a regression)";
        }
        return null;
    }

    private void checkSize(int rows) {
        if (rows > maxRows) {
            throw ApiException.badRequest("body", rows + " rows; at most " + maxRows + " per request (split it into several posts)");
        }
    }
}
