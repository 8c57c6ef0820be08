package dev.trainlayer.activities.serving;

import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Json;
import dev.trainlayer.activities.Liveness;
import dev.trainlayer.scoring.Scorer;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.BatchScoreInput;
import dev.trainlayer.workflows.activity.BatchScoreResult;
import dev.trainlayer.workflows.activity.ScoringActivities;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.DataAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a CSV object with a registered version, in chunks, through the same {@link Scorer} as the predict route:
 * writes a predictions CSV (one line per input row, in order: {@code predictionId, prediction}, one probability
 * column per class, {@code error}) and the matching prediction log part. Both are written whole at the end under
 * keys the job fixed, so a retry after a crash overwrites them with the same rows and ids.
 */
public class ScoringActivitiesImpl implements ScoringActivities {
    private static final Logger log = LoggerFactory.getLogger(ScoringActivitiesImpl.class);
    private static final Pattern S3 = Pattern.compile("s3://([^/]+)/(.+)");
    private static final int CHUNK = 5_000;

    private final ObjectStore store;
    private final DataAccess access;

    public ScoringActivitiesImpl(ObjectStore store, DataAccess access) {
        this.store = store;
        this.access = access;
    }

    @Override
    public BatchScoreResult scoreBatch(BatchScoreInput input) {
        try (Liveness alive = Liveness.start()) {
            return scoreBody(input);
        }
    }

    private BatchScoreResult scoreBody(BatchScoreInput input) {
        Matcher m = S3.matcher(input.dataUri() == null ? "" : input.dataUri());
        if (!m.matches()) {
            throw Failures.nonRetryable(FailureTypes.INVALID_SPEC, "uri '" + input.dataUri() + "' is not an s3://bucket/key URI of one CSV object");
        }
        access.refusal(input.project(), input.dataUri()).ifPresent(why -> {
            throw Failures.nonRetryable(FailureTypes.DATA_ACCESS_DENIED, why);
        });
        Table table;
        try (InputStream in = store.open(m.group(1), m.group(2))) {
            table = Table.read(in);
        } catch (ObjectNotFoundException e) {
            throw Failures.nonRetryable(FailureTypes.DATASET_NOT_FOUND, "no object at " + input.dataUri());
        } catch (IllegalArgumentException e) {
            throw Failures.nonRetryable(FailureTypes.DATA_INVALID, input.dataUri() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + input.dataUri() + ": " + e.getMessage(), e);
        }
        String at = Instant.now().toString();
        StringBuilder csv = new StringBuilder();
        StringBuilder logLines = new StringBuilder();
        int scored = 0;
        int failed = 0;
        try (Scorer scorer = Scorer.load(store, input.version())) {
            List<String> classes = scorer.pipeline().classes();
            csv.append("predictionId,prediction");
            classes.forEach(c -> csv.append(',').append(cell("p_" + c)));
            csv.append(",error\n");
            for (int start = 0; start < table.size(); start += CHUNK) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (int r = start; r < Math.min(table.size(), start + CHUNK); r++) {
                    rows.add(table.record(r));
                }
                List<Scorer.Prediction> predictions = scorer.predict(rows);
                for (Scorer.Prediction p : predictions) {
                    int row = start + p.row();
                    String id = input.jobId() + "." + row;
                    if (p.failed()) {
                        failed++;
                        csv.append(id).append(',');
                        classes.forEach(c -> csv.append(','));
                        csv.append(',').append(cell(p.error())).append('\n');
                        continue;
                    }
                    scored++;
                    csv.append(id).append(',').append(cell(String.valueOf(p.prediction())));
                    for (String c : classes) {
                        csv.append(',').append(p.probabilities().get(c));
                    }
                    csv.append(",\n");
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("predictionId", id);
                    entry.put("version", input.version().version());
                    entry.put("at", at);
                    entry.put("features", rows.get(p.row()));
                    entry.put("prediction", p.prediction());
                    if (p.probabilities() != null) {
                        entry.put("probabilities", p.probabilities());
                    }
                    logLines.append(Json.line(entry)).append('\n');
                }
            }
        }
        ArtifactRef output = store.putBytes(input.outputKey(), csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv");
        ArtifactRef logPart = scored == 0 ? null
                : store.putBytes(input.logKey(), logLines.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        log.info("batch scoring {} of {} v{}: {} rows, {} scored, {} failed -> {}", input.jobId(), input.registry(),
                input.version().version(), table.size(), scored, failed, output.uri());
        return new BatchScoreResult(table.size(), scored, failed, output, logPart);
    }

    /** A CSV cell, quoted when it holds a comma, a quote or a line break. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
