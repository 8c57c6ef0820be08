package dev.trainlayer.activities.data;

import dev.trainlayer.scoring.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Infers column types and summaries. A column is numeric when every non-missing value parses as a number. */
public final class Profiler {
    static final int DISTINCT_CAP = 10_000;
    static final int TOP_VALUES = 20;

    private Profiler() {}

    public static List<ColumnProfile> profile(Table table) {
        List<ColumnProfile> out = new ArrayList<>();
        for (int c = 0; c < table.header().size(); c++) {
            out.add(profileColumn(table, c));
        }
        return out;
    }

    static ColumnProfile profileColumn(Table table, int c) {
        long missing = 0;
        boolean numeric = true;
        Map<String, Long> counts = new HashMap<>();
        boolean capped = false;
        double sum = 0, sumSq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        long n = 0;
        for (String[] row : table.rows()) {
            String v = row[c];
            if (Table.isMissing(v)) {
                missing++;
                continue;
            }
            String value = v.trim();
            if (counts.size() < DISTINCT_CAP || counts.containsKey(value)) {
                counts.merge(value, 1L, Long::sum);
            } else {
                capped = true;
            }
            if (numeric) {
                try {
                    double d = Table.parseNumber(value);
                    sum += d;
                    sumSq += d * d;
                    min = Math.min(min, d);
                    max = Math.max(max, d);
                    n++;
                } catch (NumberFormatException e) {
                    numeric = false;
                }
            }
        }
        String name = table.header().get(c);
        if (counts.isEmpty()) {
            return new ColumnProfile(name, ColumnProfile.EMPTY, missing, 0, false, null, null, null, null, Map.of());
        }
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_VALUES)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        if (numeric) {
            double mean = sum / n;
            double var = Math.max(0, sumSq / n - mean * mean);
            return new ColumnProfile(name, ColumnProfile.NUMERIC, missing, counts.size(), capped, min, max, mean,
                    Math.sqrt(var), counts.size() <= TOP_VALUES ? top : Map.of());
        }
        return new ColumnProfile(name, ColumnProfile.CATEGORICAL, missing, counts.size(), capped, null, null, null, null, top);
    }
}
