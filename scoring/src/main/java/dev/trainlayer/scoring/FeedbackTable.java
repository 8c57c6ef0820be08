package dev.trainlayer.scoring;

import dev.trainlayer.workflows.artifact.FeedbackParts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feedback parts as rows of one table: each part's columns are matched to {@code header} by name (a column the header
 * lacks is dropped, one the part lacks is left empty), parts are taken in the order given (the order they arrived), and
 * a late label given twice for the same prediction counts once, with the later label. Snapshots and monitoring read
 * feedback through this one path.
 */
public final class FeedbackTable {
    private final List<String> header;
    private final List<String[]> rows = new ArrayList<>();
    private final Map<String, Integer> byPrediction = new HashMap<>();
    private long replaced;

    public FeedbackTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    /** Adds one part's rows. */
    public void add(Table part) {
        int[] from = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            from[c] = part.hasColumn(header.get(c)) ? part.column(header.get(c)) : -1;
        }
        int id = part.hasColumn(FeedbackParts.PREDICTION_ID) ? part.column(FeedbackParts.PREDICTION_ID) : -1;
        for (String[] source : part.rows()) {
            String[] row = new String[header.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = from[c] < 0 ? "" : source[from[c]];
            }
            String predictionId = id < 0 || source[id] == null || source[id].isBlank() ? null : source[id];
            Integer earlier = predictionId == null ? null : byPrediction.get(predictionId);
            if (earlier != null) {
                rows.set(earlier, row);
                replaced++;
            } else {
                if (predictionId != null) {
                    byPrediction.put(predictionId, rows.size());
                }
                rows.add(row);
            }
        }
    }

    public Table table() {
        return new Table(header, rows);
    }

    public int size() {
        return rows.size();
    }

    /** Rows replaced by a later label of the same prediction. */
    public long replaced() {
        return replaced;
    }
}
