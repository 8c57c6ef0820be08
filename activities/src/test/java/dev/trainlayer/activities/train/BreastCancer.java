package dev.trainlayer.activities.train;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.activities.features.FeaturePipeline;
import dev.trainlayer.activities.features.Splitter;
import dev.trainlayer.scoring.FittedPipeline;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.spec.FeaturesSpec;
import dev.trainlayer.workflows.spec.Task;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/** The breast-cancer table and a stratified split of it, for trainer tests that need real rows. */
record BreastCancer(Table table, Splitter.Split split) {
    /** The training and validation rows of {@link #split}, encoded by a pipeline fitted on the training rows. */
    static Matrix[] encoded(double test, double validation, long seed) throws Exception {
        BreastCancer data = split(test, validation, seed);
        FittedPipeline p = FeaturePipeline.fit(data.table().select(data.split().train()), "diagnosis", Task.CLASSIFICATION,
                List.of("benign", "malignant"), FeaturesSpec.EMPTY).pipeline();
        return new Matrix[] {p.transform(data.table().select(data.split().train())),
            p.transform(data.table().select(data.split().validation()))};
    }

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
