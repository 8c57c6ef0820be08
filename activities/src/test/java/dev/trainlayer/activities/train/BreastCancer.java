package dev.trainlayer.activities.train;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.activities.features.Splitter;
import java.io.InputStream;
import java.nio.file.Files;

/** The breast-cancer table and a stratified split of it, for trainer tests that need real rows. */
record BreastCancer(Table table, Splitter.Split split) {
    static BreastCancer split(double test, double validation, long seed) throws Exception {
        Table table;
        try (InputStream in = Files.newInputStream(StoreFixture.BREAST_CANCER)) {
            table = Table.read(in);
        }
        int t = table.column("diagnosis");
        return new BreastCancer(table, Splitter.split(table.rows().stream().map(r -> r[t]).toList(),
                table.rows().stream().map(r -> String.join(",", r)).toList(), test, validation, true, seed));
    }
}
