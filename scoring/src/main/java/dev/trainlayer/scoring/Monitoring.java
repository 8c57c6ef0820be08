package dev.trainlayer.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.FeedbackParts;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.spec.Metric;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a champion is doing in production: its metric on labelled feedback it was not trained on (the live metric, under
 * the same names as a run's test metrics), and per column how far recent predictions' inputs and recent feedback have
 * moved from the data it was trained on (PSI for every column, two-sample KS for numbers, chi-square for categories).
 * The API's monitoring route and the pipeline monitor workflow's checks both compute it here.
 */
public final class Monitoring {
    /** The training data is read up to this many rows (an even sample of larger data). */
    public static final int REFERENCE_ROWS = 20_000;
    /** Predictions read per report, newest first. */
    public static final int RECENT_PREDICTIONS = 50_000;
    /** A column drifts when its PSI reaches this (the common "major shift" reading) unless a trigger sets its own. */
    public static final double DEFAULT_DRIFT_PSI = 0.2;
    /** Fewer values than this in a column: no drift is computed for it (the tests mean little). */
    public static final int MIN_VALUES = 30;
    static final int BINS = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PART_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Monitoring() {}

    /** One column's drift; {@code ks*} are set for numeric columns, {@code chiSquare*} for categorical ones. */
    public record ColumnDrift(String column, String type, int values, double psi, Double ks, Double ksPValue, Double chiSquare,
                              Double chiSquarePValue, boolean drifted) {}

    /** Drift of one source (predictions or feedback) over the window: {@code drifted} names the columns over the threshold. */
    public record Drift(long rows, List<ColumnDrift> columns, Double maxPsi, List<String> drifted) {}

    /**
     * The champion's metric on {@code labels} feedback rows received from {@code since} on (after the feedback it was
     * trained on); {@code recorded} is its test-set value at registration, {@code drop} how much worse live is.
     */
    public record Live(String metric, Double value, long labels, Map<String, Double> metrics, Double recorded, Double drop,
                       String since, String error) {}

    public record Report(String model, int champion, String pipeline, String from, String to, Live live, Drift predictions,
                         Drift feedback, Double maxPsi, double driftThreshold, String computedAt, List<String> notes) {}

    /** Where the champion's training data is: the snapshot its lineage names. */
    public static Optional<String> referenceKey(ModelVersion champion) {
        if (champion.lineage() == null || champion.lineage().pipeline() == null || champion.lineage().datasetSha256() == null) {
            return Optional.empty();
        }
        return Optional.of(Keys.datasetData(champion.lineage().pipeline(), champion.lineage().datasetSha256()));
    }

    /** The champion's training data, evenly sampled down to {@link #REFERENCE_ROWS}; empty when it is gone. */
    public static Optional<Table> reference(ObjectStore store, ModelVersion champion) {
        return referenceKey(champion).flatMap(key -> sample(store, key));
    }

    /** The CSV object at {@code key}, evenly sampled down to {@link #REFERENCE_ROWS} rows; empty when it is gone. */
    public static Optional<Table> sample(ObjectStore store, String key) {
        Table all;
        try (InputStream in = store.open(store.bucket(), key)) {
            all = Table.read(in);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + key + ": " + e.getMessage(), e);
        }
        return Optional.of(sample(all, REFERENCE_ROWS));
    }

    /** Every k-th row, so that at most {@code max} remain (deterministic: the same table gives the same sample). */
    public static Table sample(Table all, int max) {
        if (all.size() <= max) {
            return all;
        }
        int[] rows = new int[max];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (int) ((long) i * all.size() / max);
        }
        return all.select(rows);
    }

    /** Feedback parts of {@code pipeline} received in {@code [from, to]}, as rows under {@code header}. */
    public static Table feedback(ObjectStore store, String pipeline, List<String> header, long from, long to) {
        FeedbackTable merged = new FeedbackTable(header);
        List<FeedbackParts.Part> parts = store.list(store.bucket(), Keys.feedback(pipeline)).stream()
                .map(key -> FeedbackParts.parse(Keys.feedback(pipeline), key)).flatMap(Optional::stream)
                .filter(p -> p.receivedAtMillis() >= from && p.receivedAtMillis() <= to)
                .sorted(Comparator.comparingLong(FeedbackParts.Part::receivedAtMillis).thenComparing(FeedbackParts.Part::key))
                .toList();
        for (FeedbackParts.Part part : parts) {
            try (InputStream in = store.open(store.bucket(), part.key())) {
                merged.add(Table.read(in));
            } catch (ObjectNotFoundException e) {
                // removed since the listing
            } catch (IOException e) {
                throw new IllegalStateException("cannot read feedback part " + part.key() + ": " + e.getMessage(), e);
            }
        }
        return merged.table();
    }

    /** The inputs of the model's logged predictions made in {@code [from, to]}, newest first, at most {@link #RECENT_PREDICTIONS}. */
    public static Table predictions(ObjectStore store, String registry, List<String> header, long from, long to) {
        List<String> keys = new ArrayList<>();
        LocalDate first = LocalDate.ofInstant(Instant.ofEpochMilli(from), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(Instant.ofEpochMilli(to), ZoneOffset.UTC);
        for (LocalDate day = first; !day.isAfter(last) && keys.size() < 1_000_000; day = day.plusDays(1)) {
            for (String key : store.list(store.bucket(), Keys.predictions(registry) + DAY.format(day) + "/")) {
                long at = partTime(key);
                if (at >= from - 1000 && at <= to) {
                    keys.add(key);
                }
            }
        }
        keys.sort(Comparator.reverseOrder());
        List<String[]> rows = new ArrayList<>();
        Map<String, Integer> columns = new HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            columns.put(header.get(c), c);
        }
        for (String key : keys) {
            if (rows.size() >= RECENT_PREDICTIONS) {
                break;
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(store.open(store.bucket(), key), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null && rows.size() < RECENT_PREDICTIONS) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode features = JSON.readTree(line).path("features");
                    String[] row = new String[header.size()];
                    java.util.Arrays.fill(row, "");
                    features.fields().forEachRemaining(f -> {
                        Integer c = columns.get(f.getKey());
                        if (c != null && !f.getValue().isNull()) {
                            row[c] = f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString();
                        }
                    });
                    rows.add(row);
                }
            } catch (ObjectNotFoundException e) {
                // removed since the listing
            } catch (IOException e) {
                throw new IllegalStateException("cannot read prediction log " + key + ": " + e.getMessage(), e);
            }
        }
        return new Table(header, rows);
    }

    private static long partTime(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        try {
            return Instant.from(PART_TIME.parse(name.substring(0, Math.min(name.length(), 16)))).toEpochMilli();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /** The champion's metrics on labelled rows (the target column filled), scored through the serving path. */
    public static Live live(Scorer scorer, ModelVersion champion, Table labelled, long since) {
        Metric metric = champion.metric();
        Double recorded = champion.metrics() == null ? null : champion.metrics().get(metric.wire());
        String from = Instant.ofEpochMilli(since).toString();
        if (labelled.size() == 0) {
            return new Live(metric.wire(), null, 0, Map.of(), recorded, null, from, null);
        }
        Map<String, Double> metrics;
        try {
            Scorer.Scored scored = scorer.score(labelled);
            metrics = Metrics.score(scored.outputs(), scored.features(), scorer.pipeline().task(), scorer.pipeline().classes().size());
        } catch (RuntimeException e) {
            return new Live(metric.wire(), null, labelled.size(), Map.of(), recorded, null, from,
                    "the feedback could not be scored: " + e.getMessage());
        }
        Map<String, Double> finite = new java.util.LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                finite.put(k, v);
            }
        });
        Double value = finite.get(metric.wire());
        Double drop = value == null || recorded == null ? null : metric.drop(value, recorded);
        return new Live(metric.wire(), value, labelled.size(), finite, recorded, drop, from, null);
    }

    /** Drift of {@code now} against {@code reference}, column by column over the columns both have (skipping {@code skip}). */
    public static Drift drift(Table reference, Table now, String skip, double threshold) {
        List<ColumnDrift> columns = new ArrayList<>();
        for (String name : reference.header()) {
            if (name.equals(skip) || !now.hasColumn(name)) {
                continue;
            }
            ColumnDrift d = column(reference, now, name, threshold);
            if (d != null) {
                columns.add(d);
            }
        }
        Double max = columns.stream().map(ColumnDrift::psi).max(Double::compare).orElse(null);
        List<String> drifted = columns.stream().filter(ColumnDrift::drifted)
                .sorted(Comparator.comparingDouble(ColumnDrift::psi).reversed()).map(ColumnDrift::column).toList();
        return new Drift(now.size(), columns, max, drifted);
    }

    static ColumnDrift column(Table reference, Table now, String name, double threshold) {
        int r = reference.column(name);
        int n = now.column(name);
        boolean numeric = true;
        int present = 0;
        for (String[] row : reference.rows()) {
            if (!Table.isMissing(row[r])) {
                present++;
                if (!Table.isNumber(row[r].trim())) {
                    numeric = false;
                    break;
                }
            }
        }
        if (present == 0) {
            return null;
        }
        if (numeric) {
            double[] training = numbers(reference, r);
            double[] current = numbers(now, n);
            if (current.length < MIN_VALUES) {
                return null;
            }
            double psi = DriftTests.psi(training, current, BINS);
            DriftTests.Result ks = DriftTests.ks(training, current);
            return new ColumnDrift(name, "numeric", current.length, psi, ks.statistic(), ks.pValue(), null, null, psi >= threshold);
        }
        Map<String, Long> training = counts(reference, r);
        Map<String, Long> current = counts(now, n);
        long values = current.values().stream().mapToLong(Long::longValue).sum();
        if (values < MIN_VALUES) {
            return null;
        }
        double psi = DriftTests.psi(training, current);
        DriftTests.Result chi = DriftTests.chiSquare(training, current);
        return new ColumnDrift(name, "categorical", (int) values, psi, null, null, chi.statistic(), chi.pValue(), psi >= threshold);
    }

    private static double[] numbers(Table table, int c) {
        double[] out = new double[table.size()];
        int k = 0;
        for (String[] row : table.rows()) {
            String v = row[c];
            if (!Table.isMissing(v)) {
                try {
                    out[k++] = Table.parseNumber(v.trim());
                } catch (NumberFormatException e) {
                    // not a number in a numeric column: left out here (validation and scoring report it)
                }
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static Map<String, Long> counts(Table table, int c) {
        Map<String, Long> out = new HashMap<>();
        for (String[] row : table.rows()) {
            if (!Table.isMissing(row[c])) {
                out.merge(row[c].trim(), 1L, Long::sum);
            }
        }
        return out;
    }

    /**
     * The full report over {@code [from, to]}. Live quality uses the feedback received after the feedback the champion
     * was trained on ({@code lineage.feedbackUntilMillis}); drift uses all of the window's predictions and feedback.
     */
    public static Report report(ObjectStore store, String registry, ModelVersion champion, Scorer scorer, Table reference,
                                long from, long to, double threshold) {
        List<String> notes = new ArrayList<>();
        String pipeline = champion.lineage() == null ? null : champion.lineage().pipeline();
        String target = scorer.pipeline().target();
        List<String> header = reference != null ? reference.header() : headerOf(scorer, target);
        long trainedUntil = champion.lineage() != null && champion.lineage().feedbackUntilMillis() != null
                ? champion.lineage().feedbackUntilMillis() : champion.registeredAtMillis();
        long since = Math.max(from, trainedUntil + 1);
        Live live = null;
        Drift feedbackDrift = null;
        if (pipeline == null) {
            notes.add("version " + champion.version() + " records no pipeline: there is no feedback to read");
        } else {
            Table window = feedback(store, pipeline, header, from, to);
            Table unseen = feedback(store, pipeline, header, since, to);
            live = live(scorer, champion, unseen, since);
            if (reference != null) {
                feedbackDrift = drift(reference, window, null, threshold);
            }
        }
        Drift predictionDrift = null;
        List<String> features = header.stream().filter(c -> !c.equals(target)).toList();
        Table recent = predictions(store, registry, features, from, to);
        if (reference != null) {
            predictionDrift = drift(reference, recent, target, threshold);
        } else {
            notes.add("the training data of version " + champion.version() + " is gone from the store: no drift to compute");
        }
        Double max = java.util.stream.Stream.of(predictionDrift, feedbackDrift).filter(java.util.Objects::nonNull)
                .map(Drift::maxPsi).filter(java.util.Objects::nonNull).max(Double::compare).orElse(null);
        return new Report(registry, champion.version(), pipeline, Instant.ofEpochMilli(from).toString(),
                Instant.ofEpochMilli(to).toString(), live, predictionDrift, feedbackDrift, max, threshold, Instant.now().toString(), notes);
    }

    private static List<String> headerOf(Scorer scorer, String target) {
        List<String> header = new ArrayList<>(scorer.inputColumns());
        header.sort(null);
        header.add(target);
        return header;
    }
}
