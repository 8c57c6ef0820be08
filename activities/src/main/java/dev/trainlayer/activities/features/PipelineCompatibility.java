package dev.trainlayer.activities.features;

import dev.trainlayer.scoring.FittedPipeline;

import dev.trainlayer.scoring.FittedPipeline.FittedColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether new data can be encoded with an earlier fitted pipeline, so a model trained on that encoding can
 * go on training. Compares the pipeline a fresh fit on the new data would give (same spec, same rules) with
 * the earlier one: the same input columns of the same kinds and transforms, the same derived columns, the
 * same target and no label class the earlier pipeline does not know. Categories that are new since then do
 * not refuse reuse (they encode as unknown, as at serving time) but are reported.
 */
public final class PipelineCompatibility {
    private PipelineCompatibility() {}

    /** {@code refusals} empty: reuse is possible; {@code notes} say what the reused pipeline will not see. */
    public record Verdict(List<String> refusals, List<String> notes) {
        public boolean compatible() {
            return refusals.isEmpty();
        }
    }

    public static Verdict check(FittedPipeline earlier, FittedPipeline fresh, List<String> newClasses) {
        List<String> refusals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!earlier.target().equals(fresh.target())) {
            refusals.add("the target is now '" + fresh.target() + "' (was '" + earlier.target() + "')");
        }
        if (earlier.task() != fresh.task()) {
            refusals.add("the task is now " + fresh.task().wire() + " (was " + earlier.task().wire() + ")");
        }
        List<String> unknownClasses = newClasses.stream().filter(c -> !earlier.classes().contains(c)).toList();
        if (!unknownClasses.isEmpty()) {
            refusals.add("label class(es) " + unknownClasses + " are new; the model knows " + earlier.classes());
        }
        if (!earlier.derived().equals(fresh.derived())) {
            refusals.add("features.derived changed");
        }
        Map<String, FittedColumn> before = byName(earlier.columns());
        Map<String, FittedColumn> now = byName(fresh.columns());
        List<String> added = now.keySet().stream().filter(n -> !before.containsKey(n)).toList();
        List<String> removed = before.keySet().stream().filter(n -> !now.containsKey(n)).toList();
        if (!added.isEmpty()) {
            refusals.add("new input column(s) " + added + " (a model continued from the old encoding could not use them)");
        }
        if (!removed.isEmpty()) {
            refusals.add("input column(s) " + removed + " are gone");
        }
        for (Map.Entry<String, FittedColumn> e : now.entrySet()) {
            FittedColumn old = before.get(e.getKey());
            if (old == null) {
                continue;
            }
            FittedColumn col = e.getValue();
            String name = e.getKey();
            if (!old.kind().equals(col.kind())) {
                refusals.add("column '" + name + "' is now " + col.kind() + " (was " + old.kind() + ")");
            } else if (old.log1p() != col.log1p() || bucketed(old) != bucketed(col)) {
                refusals.add("column '" + name + "' is transformed differently (features.columns changed)");
            } else if (FittedColumn.CATEGORICAL.equals(col.kind())) {
                List<String> unseen = col.categories().stream().filter(c -> !old.categories().contains(c)).toList();
                if (!unseen.isEmpty()) {
                    notes.add("column '" + name + "': categor" + (unseen.size() == 1 ? "y " : "ies ") + abbreviate(unseen)
                            + " appeared since the champion's pipeline was fitted and encode as unknown; a full retrain would learn them");
                }
            }
        }
        return new Verdict(List.copyOf(refusals), List.copyOf(notes));
    }

    private static boolean bucketed(FittedColumn c) {
        return c.buckets() != null && !c.buckets().isEmpty();
    }

    private static Map<String, FittedColumn> byName(List<FittedColumn> columns) {
        Map<String, FittedColumn> out = new LinkedHashMap<>();
        columns.forEach(c -> out.put(c.name(), c));
        return out;
    }

    private static String abbreviate(List<String> values) {
        return values.size() <= 5 ? values.toString() : values.subList(0, 5) + " and " + (values.size() - 5) + " more";
    }
}
