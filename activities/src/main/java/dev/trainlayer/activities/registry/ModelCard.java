package dev.trainlayer.activities.registry;

import dev.trainlayer.activities.data.ColumnProfile;
import dev.trainlayer.activities.evaluation.ModelEvidence;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.Optimization;
import dev.trainlayer.workflows.registry.PublishInput;
import dev.trainlayer.workflows.registry.RegisterRequest;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.Task;
import dev.trainlayer.workflows.workflow.GateResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A version's model card as data ({@code card.json}) and the sections it adds to {@code card.md}: what the pipeline is for
 * and who owns it (spec {@code description}, {@code owner}, {@code tags}), the data (from the snapshot's profile), the
 * test metrics with bootstrap intervals, per-class metrics and the confusion matrix or the residuals, the gate
 * decisions and the comparison with the champion, the lineage chain (continued versions, feedback), and the warnings
 * and limitations a reader should know. Anything a source did not record is left out, never guessed.
 */
final class ModelCard {
    private ModelCard() {}

    /** What the card is made of; every part but {@code input} may be null. */
    record Sources(PublishInput input, PipelineSpec spec, ModelEvidence evidence, List<ColumnProfile> profile,
                   List<ModelVersion> registered, Optimization optimization) {
        Sources(PublishInput input, PipelineSpec spec, ModelEvidence evidence, List<ColumnProfile> profile,
                List<ModelVersion> registered) {
            this(input, spec, evidence, profile, registered, input.request().optimization());
        }
    }

    static Map<String, Object> json(Sources s) {
        RegisterRequest r = s.input().request();
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model", r.model());
        card.put("version", s.input().version());
        card.put("registeredAt", Instant.ofEpochMilli(s.input().registeredAtMillis()).toString());
        card.put("task", r.task().wire());
        card.put("type", r.type().wire());
        if (s.spec() != null) {
            Map<String, Object> about = new LinkedHashMap<>();
            putIf(about, "description", s.spec().description());
            putIf(about, "owner", s.spec().owner());
            putIf(about, "tags", s.spec().tags());
            putIf(about, "pipeline", s.spec().name());
            putIf(about, "target", s.spec().target());
            card.put("about", about);
        }
        card.put("data", data(s));
        card.put("metrics", metrics(s));
        if (s.evidence() != null && s.evidence().perClass() != null) {
            Map<String, Object> classes = new LinkedHashMap<>();
            classes.put("perClass", s.evidence().perClass());
            if (s.evidence().confusion() != null) {
                classes.put("confusion", Map.of("labels", s.evidence().classes(), "matrix", s.evidence().confusion(),
                        "rows", "actual", "columns", "predicted"));
            }
            card.put("classes", classes);
        }
        if (s.evidence() != null && s.evidence().residuals() != null) {
            card.put("residuals", s.evidence().residuals());
        }
        if (r.gates() != null) {
            card.put("gates", r.gates());
        }
        putIf(card, "comparison", r.comparison());
        putIf(card, "optimization", s.optimization());
        card.put("lineage", lineage(s));
        card.put("warnings", r.warnings() == null ? List.of() : r.warnings());
        card.put("limitations", limitations(s));
        return card;
    }

    private static Map<String, Object> data(Sources s) {
        RegisterRequest r = s.input().request();
        Map<String, Object> data = new LinkedHashMap<>();
        putIf(data, "uri", r.lineage().datasetUri());
        putIf(data, "sha256", r.lineage().datasetSha256());
        if (s.profile() != null) {
            Map<String, Integer> byType = new TreeMap<>();
            s.profile().forEach(c -> byType.merge(c.type(), 1, Integer::sum));
            data.put("columns", s.profile().size());
            data.put("columnsByType", byType);
            List<Map<String, Object>> missing = s.profile().stream().filter(c -> c.missing() > 0)
                    .sorted(Comparator.comparingLong(ColumnProfile::missing).reversed()).limit(10)
                    .map(c -> Map.<String, Object>of("column", c.name(), "missing", c.missing())).toList();
            if (!missing.isEmpty()) {
                data.put("mostMissing", missing);
            }
            String target = s.spec() == null ? null : s.spec().target();
            s.profile().stream().filter(c -> c.name().equals(target)).findFirst().ifPresent(t -> {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("column", t.name());
                if (r.task() == Task.CLASSIFICATION && t.topValues() != null) {
                    summary.put("classCounts", t.topValues());
                } else {
                    putIf(summary, "min", t.min());
                    putIf(summary, "max", t.max());
                    putIf(summary, "mean", t.mean());
                    putIf(summary, "std", t.std());
                }
                data.put("target", summary);
            });
        }
        putIf(data, "feedbackRows", r.lineage().feedbackRows() != null && r.lineage().feedbackRows() > 0 ? r.lineage().feedbackRows() : null);
        putIf(data, "feedbackParts", r.lineage().feedbackParts() != null && r.lineage().feedbackParts() > 0 ? r.lineage().feedbackParts() : null);
        boolean feedback = r.lineage().feedbackRows() != null && r.lineage().feedbackRows() > 0;
        putIf(data, "feedbackUntil", !feedback || r.lineage().feedbackUntilMillis() == null ? null
                : Instant.ofEpochMilli(r.lineage().feedbackUntilMillis()).toString());
        if (s.evidence() != null) {
            data.put("testRows", s.evidence().rows());
        }
        return data;
    }

    private static Map<String, Object> metrics(Sources s) {
        RegisterRequest r = s.input().request();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("primary", r.metric().wire());
        List<Map<String, Object>> values = new ArrayList<>();
        Map<String, ModelEvidence.Interval> intervals = new LinkedHashMap<>();
        if (s.evidence() != null) {
            s.evidence().intervals().forEach(i -> intervals.put(i.metric(), i));
            m.put("confidence", s.evidence().confidence());
            m.put("resamples", s.evidence().resamples());
        }
        List<String> names = new ArrayList<>(r.metrics().keySet());
        names.sort(Comparator.comparing((String n) -> !n.equals(r.metric().wire())).thenComparing(n -> n));
        for (String name : names) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("metric", name);
            Double value = r.metrics().get(name);
            v.put("value", value == null || !Double.isFinite(value) ? null : value);
            ModelEvidence.Interval i = intervals.get(name);
            if (i != null) {
                v.put("low", i.low());
                v.put("high", i.high());
            }
            values.add(v);
        }
        m.put("values", values);
        return m;
    }

    private static Map<String, Object> lineage(Sources s) {
        RegisterRequest r = s.input().request();
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("runId", r.runId());
        putIf(l, "specHash", r.lineage().specHash());
        putIf(l, "trialId", r.lineage().trialId());
        l.put("seed", r.lineage().seed());
        l.put("splitSeed", r.lineage().splitSeed());
        putIf(l, "params", r.lineage().params());
        putIf(l, "environment", r.lineage().environment());
        // The chain of continued versions this one ends: itself, then each version it was trained from.
        List<Map<String, Object>> chain = new ArrayList<>();
        chain.add(link(s.input().version(), r.runId(), r.lineage().datasetSha256(), r.lineage().feedbackRows(), r.lineage().warmStartedFrom()));
        Integer from = r.lineage().warmStartedFrom();
        while (from != null && s.registered() != null && chain.size() < 100) {
            int wanted = from;
            ModelVersion base = s.registered().stream().filter(v -> v.version() == wanted).findFirst().orElse(null);
            if (base == null || base.lineage() == null) {
                chain.add(Map.of("version", wanted));
                break;
            }
            chain.add(link(base.version(), base.runId(), base.lineage().datasetSha256(), base.lineage().feedbackRows(),
                    base.lineage().warmStartedFrom()));
            from = base.lineage().warmStartedFrom();
        }
        l.put("chain", chain);
        return l;
    }

    private static Map<String, Object> link(int version, String runId, String sha256, Long feedbackRows, Integer warmStartedFrom) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("version", version);
        link.put("runId", runId);
        putIf(link, "datasetSha256", sha256);
        putIf(link, "feedbackRows", feedbackRows != null && feedbackRows > 0 ? feedbackRows : null);
        link.put("trained", warmStartedFrom == null ? "from scratch" : "continued from v" + warmStartedFrom);
        return link;
    }

    /** What a reader should keep in mind, from what the card knows. */
    static List<String> limitations(Sources s) {
        RegisterRequest r = s.input().request();
        List<String> out = new ArrayList<>();
        ModelEvidence e = s.evidence();
        if (e != null) {
            out.add(String.format(Locale.ROOT, "Measured on %d held-out test rows of the same data; intervals are %d%% bootstrap "
                    + "intervals over those rows, not over future data.", e.rows(), Math.round(e.confidence() * 100)));
            if (e.rows() < 500) {
                out.add("The test set is small (" + e.rows() + " rows): the metrics can move noticeably on other samples.");
            }
            if (e.perClass() != null) {
                for (ModelEvidence.ClassMetrics c : e.perClass()) {
                    if (c.support() < 30) {
                        out.add("Class '" + c.label() + "' has " + c.support() + " test row(s): its per-class metrics are rough.");
                    }
                }
            }
        }
        if (r.lineage().warmStartedFrom() != null) {
            out.add("Continued from v" + r.lineage().warmStartedFrom() + " (incremental): it never learned columns or categories "
                    + "that appeared after that version's feature pipeline was fitted.");
        }
        if (r.lineage().environment() != null && !"cpu".equals(r.lineage().environment().get("device"))
                && r.lineage().environment().get("device") != null) {
            out.add("Trained on " + r.lineage().environment().get("device") + ": retraining reproduces it closely, not bit for bit.");
        }
        Optimization o = s.optimization();
        if (o != null && o.serves()) {
            out.add(String.format(Locale.ROOT, "Served optimized (see Optimization): %s %s on the test rows against %s as trained; "
                    + "the metrics above are the model's as trained.", o.metric(), num(o.optimizedMetric()), num(o.originalMetric())));
        }
        out.add("Predictions assume rows like the training data: columns the feature pipeline did not see are ignored, "
                + "unseen categories encode as zeros.");
        return out;
    }

    /** The card's sections beyond the summary table, metrics and parameters that {@code card.md} always had. */
    static String markdown(Map<String, Object> card, Sources s) {
        StringBuilder md = new StringBuilder();
        ModelEvidence e = s.evidence();
        if (e != null) {
            md.append(String.format(Locale.ROOT, "\n## Metrics with %d%% intervals\n\n| metric | value | interval |\n|---|---|---|\n",
                    Math.round(e.confidence() * 100)));
            for (ModelEvidence.Interval i : e.intervals()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | [%s, %s] |%n", i.metric(), num(i.value()), num(i.low()), num(i.high())));
            }
            md.append(String.format(Locale.ROOT, "%nBootstrap percentile intervals: %d resamples of the %d test rows.%n", e.resamples(), e.rows()));
            if (e.perClass() != null) {
                md.append("\n## Per class\n\n| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
                for (ModelEvidence.ClassMetrics c : e.perClass()) {
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d |%n", cell(c.label()), num(c.precision()),
                            num(c.recall()), num(c.f1()), c.support()));
                }
            }
            if (e.confusion() != null) {
                md.append("\n## Confusion matrix\n\nRows: actual class; columns: predicted class.\n\n| |");
                e.classes().forEach(c -> md.append(' ').append(cell(c)).append(" |"));
                md.append("\n|---|").append("---|".repeat(e.classes().size())).append('\n');
                for (int a = 0; a < e.confusion().length; a++) {
                    md.append("| **").append(cell(e.classes().get(a))).append("** |");
                    for (long n : e.confusion()[a]) {
                        md.append(' ').append(n).append(" |");
                    }
                    md.append('\n');
                }
            }
            if (e.residuals() != null) {
                ModelEvidence.Residuals r = e.residuals();
                md.append(String.format(Locale.ROOT, "%n## Residuals (predicted − actual)%n%n| mean | std | 5%% | 25%% | median | 75%% | 95%% | largest absolute |%n"
                        + "|---|---|---|---|---|---|---|---|%n| %s | %s | %s | %s | %s | %s | %s | %s |%n", num(r.mean()), num(r.std()),
                        num(r.p05()), num(r.p25()), num(r.median()), num(r.p75()), num(r.p95()), num(r.maxAbs())));
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) card.get("data");
        if (data.containsKey("columns")) {
            @SuppressWarnings("unchecked")
            Map<String, Integer> byType = (Map<String, Integer>) data.get("columnsByType");
            md.append("\n## Data\n\n").append(data.get("columns")).append(" columns (");
            md.append(String.join(", ", byType.entrySet().stream().map(t -> t.getValue() + " " + t.getKey()).toList())).append(").");
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) data.get("target");
            if (target != null && target.get("classCounts") instanceof Map<?, ?> counts) {
                md.append(" Target `").append(target.get("column")).append("`: ");
                md.append(String.join(", ", counts.entrySet().stream().map(c -> c.getKey() + " " + c.getValue()).toList())).append('.');
            } else if (target != null && target.containsKey("mean")) {
                md.append(String.format(Locale.ROOT, " Target `%s`: mean %s, std %s, from %s to %s.", target.get("column"),
                        target.get("mean"), target.get("std"), target.get("min"), target.get("max")));
            }
            md.append('\n');
            if (data.containsKey("mostMissing")) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> missing = (List<Map<String, Object>>) data.get("mostMissing");
                md.append("\nMissing values: ").append(String.join(", ", missing.stream()
                        .map(m -> "`" + m.get("column") + "` " + m.get("missing")).toList())).append(".\n");
            }
        }
        RegisterRequest req = s.input().request();
        if (req.gates() != null && !req.gates().isEmpty()) {
            md.append("\n## Gates\n\n| gate | decision | evidence |\n|---|---|---|\n");
            for (GateResult g : req.gates()) {
                md.append("| ").append(cell(g.gate())).append(" | ").append(g.passed() ? "passed" : "failed").append(" | ")
                        .append(cell(g.detail())).append(" |\n");
            }
        }
        if (s.optimization() != null) {
            md.append(optimization(s.optimization()));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chain = (List<Map<String, Object>>) ((Map<String, Object>) card.get("lineage")).get("chain");
        if (chain.size() > 1) {
            md.append("\n## Lineage chain\n\n");
            chain.forEach(l -> md.append("- v").append(l.get("version")).append(l.containsKey("runId") ? " (run " + l.get("runId") + ", "
                    + l.get("trained") + (l.containsKey("feedbackRows") ? ", " + l.get("feedbackRows") + " feedback rows" : "") + ")" : "")
                    .append('\n'));
        }
        if (req.warnings() != null && !req.warnings().isEmpty()) {
            md.append("\n## Warnings the run raised\n\n");
            req.warnings().forEach(w -> md.append("- ").append(w).append('\n'));
        }
        md.append("\n## Limitations\n\n");
        limitations(s).forEach(l -> md.append("- ").append(l).append('\n'));
        return md.toString();
    }

    static String optimization(Optimization o) {
        StringBuilder md = new StringBuilder("\n## Optimization\n\n");
        if (o.artifacts() == null) {
            return md.append("Not optimized: ").append(o.reason()).append('\n').toString();
        }
        md.append(o.serves() ? "**Served**: the optimized model passed its gate and is what scoring uses (`optimized/`).\n\n"
                : "**Not served**: " + o.reason() + ". Scoring uses the model as trained; the optimized files are kept in `optimized/`.\n\n");
        o.steps().forEach(step -> md.append("- ").append(step).append('\n'));
        md.append("\n| | as trained | optimized |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| model files | %,d bytes | %,d bytes (%.1f× smaller) |%n", o.originalBytes(), o.optimizedBytes(),
                o.optimizedBytes() == 0 ? 0.0 : (double) o.originalBytes() / o.optimizedBytes()));
        md.append(String.format(Locale.ROOT, "| %s on the test rows | %s | %s (%s; at most %s worse allowed) |%n", o.metric(),
                num(o.originalMetric()), num(o.optimizedMetric()), o.metricDelta() == null ? "–" : String.format(Locale.ROOT, "%+.4f",
                        o.metricDelta()), num(o.maxMetricDrop())));
        if (o.latencyMs() != null) {
            md.append(String.format(Locale.ROOT, "| predict 1 row (median) | %.3f ms | %.3f ms |%n", o.latencyMs().singleRow().original(),
                    o.latencyMs().singleRow().optimized()));
            md.append(String.format(Locale.ROOT, "| predict %d rows (median) | %.3f ms | %.3f ms |%n", o.latencyMs().batch().rows(),
                    o.latencyMs().batch().original(), o.latencyMs().batch().optimized()));
        }
        return md.toString();
    }

    private static String num(Double v) {
        return v != null && Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–";
    }

    /** Text for one Markdown table cell: a pipe would end it, a line break the row. */
    static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
    }

    private static void putIf(Map<String, Object> map, String key, Object value) {
        if (value != null && !(value instanceof java.util.Collection<?> c && c.isEmpty()) && !(value instanceof Map<?, ?> m && m.isEmpty())) {
            map.put(key, value);
        }
    }
}
