package dev.trainlayer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.trainlayer.workflows.registry.Lineage;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.spec.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What differs between two versions of a model ({@code GET /api/v1/models/{model}/diff}): the data they were trained
 * on, their resolved specs field by field, the winning parameters and seeds, the test metrics with deltas, and the
 * environment (libraries, engine, JDK, OS) and code version that trained them. A pure function of what the registry
 * and the runs recorded; {@link Side} carries what was loaded for one version.
 *
 * <p>Specs and parameters are compared as flattened JSON: nested fields as dotted paths ({@code gates.min.accuracy}),
 * lists of objects by index ({@code models[0].params.maxDepth}), lists of plain values as one value
 * ({@code hiddenLayers}). A field one side lacks is {@code null} there, which the API's JSON leaves out (a change
 * with no {@code from} is a field the later version added). Numbers compare by value (1 equals 1.0).
 */
final class ModelDiff {
    /** One version and what was loaded for it: its resolved spec and run report may be gone (null). */
    record Side(ModelVersion version, JsonNode spec, Long rows, Long feedbackRows) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelDiff() {}

    static Map<String, Object> of(String model, String project, Side from, Side to) {
        Lineage a = from.version().lineage();
        Lineage b = to.version().lineage();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("project", project);
        out.put("from", header(from.version()));
        out.put("to", header(to.version()));

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", data(from));
        data.put("to", data(to));
        boolean sameData = a != null && b != null && java.util.Objects.equals(a.datasetSha256(), b.datasetSha256());
        data.put("same", sameData);
        out.put("data", data);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("from", a == null ? null : a.specHash());
        spec.put("to", b == null ? null : b.specHash());
        List<Map<String, Object>> specChanges = from.spec() == null || to.spec() == null ? null : changes(from.spec(), to.spec());
        spec.put("changes", specChanges);
        if (specChanges == null) {
            spec.put("note", "a version's spec is no longer in the store; compare the hashes");
        }
        out.put("spec", spec);

        List<Map<String, Object>> paramChanges = changes(JSON.valueToTree(paramsOf(from.version())),
                JSON.valueToTree(paramsOf(to.version())));
        out.put("params", Map.of("changes", paramChanges));

        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("from", seedsOf(a));
        seeds.put("to", seedsOf(b));
        out.put("seeds", seeds);

        out.put("metrics", metrics(from.version(), to.version()));
        if (from.version().optimization() != null || to.version().optimization() != null) {
            // Only when either was optimized: diffs of versions without optimize keep their shape.
            Map<String, Object> optimization = new LinkedHashMap<>();
            optimization.put("from", served(from.version()));
            optimization.put("to", served(to.version()));
            out.put("optimization", optimization);
        }

        Map<String, String> ea = environment(a);
        Map<String, String> eb = environment(b);
        String codeA = ea.remove("codeVersion");
        String codeB = eb.remove("codeVersion");
        List<Map<String, Object>> environmentChanges = changes(JSON.valueToTree(ea), JSON.valueToTree(eb));
        out.put("environment", Map.of("changes", environmentChanges));
        Map<String, Object> code = new LinkedHashMap<>();
        code.put("from", codeA);
        code.put("to", codeB);
        boolean sameCode = java.util.Objects.equals(codeA, codeB);
        code.put("same", sameCode);
        out.put("code", code);

        Map<String, Object> same = new LinkedHashMap<>();
        same.put("data", sameData);
        same.put("spec", specChanges != null && specChanges.isEmpty());
        same.put("params", paramChanges.isEmpty());
        same.put("seeds", seeds.get("from").equals(seeds.get("to")));
        same.put("environment", environmentChanges.isEmpty());
        same.put("code", sameCode);
        out.put("same", same);
        return out;
    }

    /** What a version serves: optimized or as trained, and the optimization's sizes and metric. */
    private static Map<String, Object> served(ModelVersion v) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("served", v.serving().hasOptimizedFiles() ? "optimized" : "as trained");
        if (v.optimization() != null) {
            o.put("passed", v.optimization().passed());
            o.put("originalBytes", v.optimization().originalBytes());
            o.put("optimizedBytes", v.optimization().optimizedBytes());
            o.put("optimizedMetric", v.optimization().optimizedMetric());
            o.put("metricDelta", v.optimization().metricDelta());
        }
        return o;
    }

    private static Map<String, Object> header(ModelVersion v) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("version", v.version());
        h.put("runId", v.runId());
        h.put("type", v.type() == null ? null : v.type().wire());
        h.put("registeredAt", Instant.ofEpochMilli(v.registeredAtMillis()).toString());
        if (v.lineage() != null && v.lineage().warmStartedFrom() != null) {
            h.put("warmStartedFrom", v.lineage().warmStartedFrom());
        }
        return h;
    }

    private static Map<String, Object> data(Side side) {
        Lineage l = side.version().lineage();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("uri", l == null ? null : l.datasetUri());
        d.put("sha256", l == null ? null : l.datasetSha256());
        d.put("rows", side.rows());
        if (side.feedbackRows() != null && side.feedbackRows() > 0) {
            d.put("feedbackRows", side.feedbackRows());
        }
        return d;
    }

    /** The winning trial's parameters, with the family as {@code type} so a change of family shows as one field. */
    private static Map<String, Object> paramsOf(ModelVersion v) {
        Map<String, Object> p = new TreeMap<>();
        if (v.lineage() != null && v.lineage().params() != null) {
            p.putAll(v.lineage().params());
        }
        p.put("type", v.type() == null ? null : v.type().wire());
        return p;
    }

    private static Map<String, Object> seedsOf(Lineage l) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seed", l == null ? null : l.seed());
        s.put("splitSeed", l == null ? null : l.splitSeed());
        return s;
    }

    private static Map<String, String> environment(Lineage l) {
        return l == null || l.environment() == null ? new TreeMap<>() : new TreeMap<>(l.environment());
    }

    /** Every metric either version has, by name: both values, to − from, and which is better (primary first). */
    private static List<Map<String, Object>> metrics(ModelVersion from, ModelVersion to) {
        Metric primary = to.metric() != null ? to.metric() : from.metric();
        TreeSet<String> names = new TreeSet<>();
        names.addAll(from.metrics() == null ? Map.<String, Double>of().keySet() : from.metrics().keySet());
        names.addAll(to.metrics() == null ? Map.<String, Double>of().keySet() : to.metrics().keySet());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            Double x = from.metrics() == null ? null : from.metrics().get(name);
            Double y = to.metrics() == null ? null : to.metrics().get(name);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", name);
            m.put("primary", primary != null && primary.wire().equals(name));
            m.put("from", x);
            m.put("to", y);
            m.put("delta", x == null || y == null ? null : y - x);
            m.put("better", x == null || y == null ? null : better(name, x, y));
            if ((Boolean) m.get("primary")) {
                out.add(0, m);
            } else {
                out.add(m);
            }
        }
        return out;
    }

    /** "to", "from" or "same"; null for a metric without a direction. */
    private static String better(String name, double from, double to) {
        Metric metric;
        try {
            metric = Metric.parse(name);
        } catch (RuntimeException e) {
            return null;
        }
        if (from == to) {
            return "same";
        }
        return metric.better(to, from) ? "to" : "from";
    }

    /** The fields whose values differ, by path, each with both values (null where a side lacks the field). */
    static List<Map<String, Object>> changes(JsonNode from, JsonNode to) {
        Map<String, JsonNode> a = new TreeMap<>();
        Map<String, JsonNode> b = new TreeMap<>();
        flatten(from, "", a);
        flatten(to, "", b);
        TreeSet<String> fields = new TreeSet<>(a.keySet());
        fields.addAll(b.keySet());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String field : fields) {
            JsonNode x = a.get(field);
            JsonNode y = b.get(field);
            if (!same(x, y)) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("field", field);
                c.put("from", x);
                c.put("to", y);
                out.add(c);
            }
        }
        return out;
    }

    private static void flatten(JsonNode node, String path, Map<String, JsonNode> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (!path.isEmpty()) {
                out.put(path, JsonNodeFactory.instance.nullNode());
            }
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
            }
            return;
        }
        if (node.isArray() && containsContainers(node)) {
            for (int i = 0; i < node.size(); i++) {
                flatten(node.get(i), path + "[" + i + "]", out);
            }
            return;
        }
        out.put(path, node);
    }

    private static boolean containsContainers(JsonNode array) {
        for (JsonNode e : array) {
            if (e.isContainerNode()) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(JsonNode x, JsonNode y) {
        boolean xAbsent = x == null || x.isNull();
        boolean yAbsent = y == null || y.isNull();
        if (xAbsent || yAbsent) {
            return xAbsent && yAbsent;
        }
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue()) == 0;
        }
        if (x.isArray() && y.isArray() && x.size() == y.size()) {
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return x.equals(y);
    }
}
