package dev.trainlayer.scoring;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.ModelArtifacts;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.spec.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model ready to predict: its fitted feature pipeline and its model, both read from the store and checked against
 * the sha256 recorded when they were written. Evaluation scores test rows through {@link #score(Table)}, the API and
 * users' own services score rows through {@link #predict(List)}: one path from raw rows to predictions.
 *
 * <pre>{@code
 * try (Scorer scorer = Scorer.load(store, version)) {
 *     List<Scorer.Prediction> out = scorer.predict(List.of(Map.of("age", 41, "plan", "pro")));
 * }
 * }</pre>
 */
public final class Scorer implements AutoCloseable {
    private final FittedPipeline pipeline;
    private final TrainedModel model;

    private Scorer(FittedPipeline pipeline, TrainedModel model) {
        this.pipeline = pipeline;
        this.model = model;
    }

    /** A trial's or a version's model and pipeline. */
    public static Scorer load(ObjectStore store, ModelArtifacts artifacts) {
        FittedPipeline pipeline = ScoringJson.read(store.getBytes(artifacts.featurePipeline()), FittedPipeline.class);
        return new Scorer(pipeline, ModelLoader.load(store, artifacts));
    }

    /** A registered version as it is served: its optimized model when its optimization passed, else the model as trained. */
    public static Scorer load(ObjectStore store, ModelVersion version) {
        return load(store, version.serving());
    }

    public FittedPipeline pipeline() {
        return pipeline;
    }

    /** Encoded rows and the model's outputs for them: class probabilities {@code [rows][classes]}, or values {@code [rows][1]}. */
    public record Scored(Matrix features, double[][] outputs) {}

    /** Every row of {@code table} encoded (labels too, where the target column is present) and predicted. */
    public Scored score(Table table) {
        Matrix x = pipeline.transform(table);
        return new Scored(x, model.predict(x));
    }

    /**
     * One input row's answer: {@code prediction} is the class label as it was in the training data, or the number;
     * {@code probabilities} maps each class to its probability (classification); {@code error} says why a row could
     * not be scored (then the others still are).
     */
    public record Prediction(int row, Object prediction, Map<String, Double> probabilities, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    /**
     * Predicts rows given as column → value (numbers, strings, booleans or null). A column the model does not use is
     * ignored and a missing one is imputed like at training time; a value the model cannot read (text in a numeric
     * column) fails that row with a message naming the column.
     */
    public List<Prediction> predict(List<? extends Map<String, ?>> rows) {
        Set<String> inputs = inputColumns();
        List<Prediction> out = new ArrayList<>(rows.size());
        List<Integer> valid = new ArrayList<>();
        Set<String> header = new LinkedHashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            String error = check(rows.get(i), inputs);
            out.add(error == null ? null : new Prediction(i, null, null, error));
            if (error == null) {
                valid.add(i);
                header.addAll(rows.get(i).keySet());
            }
        }
        if (valid.isEmpty()) {
            return out;
        }
        List<String> columns = new ArrayList<>(header);
        List<String[]> cells = new ArrayList<>(valid.size());
        for (int i : valid) {
            Map<String, ?> row = rows.get(i);
            String[] values = new String[columns.size()];
            for (int c = 0; c < values.length; c++) {
                Object v = row.get(columns.get(c));
                values[c] = v == null ? null : text(v);
            }
            cells.add(values);
        }
        double[][] outputs = score(new Table(columns, cells)).outputs();
        for (int k = 0; k < valid.size(); k++) {
            out.set(valid.get(k), answer(valid.get(k), outputs[k]));
        }
        return out;
    }

    /** The raw columns the pipeline reads: its input columns that no derived column defines. */
    public Set<String> inputColumns() {
        Set<String> derived = new java.util.HashSet<>();
        pipeline.derived().forEach(d -> derived.add(d.name()));
        Set<String> names = new LinkedHashSet<>();
        for (FittedPipeline.FittedColumn c : pipeline.columns()) {
            if (!derived.contains(c.name())) {
                names.add(c.name());
            }
        }
        return names;
    }

    private String check(Map<String, ?> row, Set<String> inputs) {
        if (row == null || row.keySet().stream().noneMatch(inputs::contains) && !inputs.isEmpty()) {
            return "the row has none of the model's columns (it reads " + String.join(", ", inputs.stream().limit(8).toList())
                    + (inputs.size() > 8 ? ", …" : "") + ")";
        }
        for (FittedPipeline.FittedColumn c : pipeline.columns()) {
            if (!FittedPipeline.FittedColumn.NUMERIC.equals(c.kind()) || !row.containsKey(c.name())) {
                continue;
            }
            Object v = row.get(c.name());
            if (v == null || v instanceof Number n && Double.isFinite(n.doubleValue())) {
                continue;
            }
            String raw = text(v);
            try {
                Table.parseNumber(raw);
            } catch (NumberFormatException e) {
                String shown = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
                return "column '" + c.name() + "': '" + shown + "' is not a number";
            }
        }
        return null;
    }

    private Prediction answer(int row, double[] output) {
        if (pipeline.task() == Task.CLASSIFICATION) {
            Map<String, Double> probabilities = new LinkedHashMap<>();
            int best = 0;
            for (int k = 0; k < output.length; k++) {
                probabilities.put(pipeline.classes().get(k), output[k]);
                if (output[k] > output[best]) {
                    best = k;
                }
            }
            return new Prediction(row, pipeline.classes().get(best), probabilities, null);
        }
        return new Prediction(row, output[0], null, null);
    }

    private static String text(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }

    @Override
    public void close() {
        model.close();
    }
}
