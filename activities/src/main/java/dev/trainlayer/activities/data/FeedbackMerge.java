package dev.trainlayer.activities.data;

import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Heartbeats;
import dev.trainlayer.scoring.FeedbackTable;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.artifact.FeedbackParts;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Adds a pipeline's feedback parts received up to the run's start to a snapshot's rows, matched to the source's
 * header (see {@link FeedbackTable}).
 */
final class FeedbackMerge {
    /** One part a snapshot took in: its key, when it arrived, and how many rows it held. */
    record Taken(String key, long receivedAtMillis, long rows) {}

    record Merged(long rows, List<Taken> parts, long replaced) {
        static final Merged NONE = new Merged(0, List.of(), 0);
    }

    private final ObjectStore store;

    FeedbackMerge(ObjectStore store) {
        this.store = store;
    }

    /** Appends the feedback under {@code prefix} received up to {@code untilMillis} (null: all) to the CSV at {@code csv}. */
    Merged append(String prefix, Long untilMillis, Path csv) throws IOException {
        List<FeedbackParts.Part> parts = store.list(store.bucket(), prefix).stream()
                .map(key -> FeedbackParts.parse(prefix, key)).flatMap(java.util.Optional::stream)
                .filter(p -> untilMillis == null || p.receivedAtMillis() <= untilMillis)
                .sorted(Comparator.comparingLong(FeedbackParts.Part::receivedAtMillis).thenComparing(FeedbackParts.Part::key))
                .toList();
        if (parts.isEmpty()) {
            return Merged.NONE;
        }
        FeedbackTable merged = new FeedbackTable(header(csv));
        List<Taken> taken = new ArrayList<>();
        for (FeedbackParts.Part part : parts) {
            Table table;
            try (InputStream in = store.open(store.bucket(), part.key())) {
                table = Table.read(in);
            } catch (ObjectNotFoundException e) {
                continue;   // removed since the listing (retention): not part of this snapshot
            } catch (Table.CsvFormatException e) {
                throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "feedback part " + part.key() + ": " + e.getMessage());
            }
            merged.add(table);
            taken.add(new Taken(part.key(), part.receivedAtMillis(), table.size()));
            Heartbeats.beat(merged.size());
        }
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(csv, StandardOpenOption.APPEND), StandardCharsets.UTF_8), 1 << 16)) {
            merged.table().writeRows(out);
        }
        return new Merged(merged.size(), taken, merged.replaced());
    }

    private static List<String> header(Path csv) throws IOException {
        try (var reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            return Table.read(new StringReader(first == null ? "" : first + "\n")).header();
        }
    }
}
