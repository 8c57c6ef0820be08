package dev.trainlayer.activities.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.activity.FeaturesInput;
import dev.trainlayer.workflows.activity.FeaturesResult;
import dev.trainlayer.workflows.activity.FoldFeatures;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.activity.ValidateInput;
import dev.trainlayer.workflows.activity.ValidationReport;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data path against golden files: for each test table and spec, the snapshot's sha256, the profile, the
 * validation report, and the sha256 of every artifact the features activity writes (fitted pipeline, encoded
 * train / validation matrices, the test rows, each cross-validation fold) are what the data path gave when the
 * files were recorded. A faster parser, profiler or encoder must give the same bytes.
 *
 * <p>Re-record (only when a change of output is intended, and say so in the commit):
 * {@code -Dtrainlayer.recordGolden=true}, which rewrites {@code src/test/resources/golden/data-path/*.json}.
 */
class DataPathGoldenTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "data-path");
    static final Path EXAMPLES = Path.of("..", "examples", "data");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    static Path dir;
    static StoreFixture fixture;
    static DataActivitiesImpl data;

    @BeforeAll
    static void start() throws Exception {
        fixture = new StoreFixture(dir);
        data = new DataActivitiesImpl(fixture.store);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("breast-cancer", EXAMPLES.resolve("breast_cancer.csv"),
                        "task: classification\ntarget: diagnosis\nmodels: [{type: xgboost}]\n"),
                Arguments.of("diabetes", EXAMPLES.resolve("diabetes.csv"),
                        "task: regression\ntarget: progression\nmodels: [{type: xgboost}]\nsearch: {trials: 4, kfold: 3}\n"),
                Arguments.of("wine", EXAMPLES.resolve("wine.csv"),
                        "task: classification\ntarget: cultivar\nmodels: [{type: mlp}]\nsplit: {stratify: false, seed: 3}\n"),
                // Quoted fields (commas, doubled quotes, line breaks), a BOM, mixed line ends, every missing spelling,
                // numbers written every way Java parses them, numeric-looking codes, an identifier column.
                Arguments.of("messy-classification", GOLDEN.resolve("messy.csv"), """
                        task: classification
                        target: label
                        models: [{type: xgboost}]
                        search: {trials: 4, kfold: 4}
                        features:
                          exclude: [id]
                          columns:
                            amount: {log1p: true, impute: mean}
                            ratio: {scale: minmax, impute: most_frequent}
                            count: {buckets: [5, 10, 20]}
                            flag: {type: categorical}
                            code: {type: categorical, maxCategories: 10}
                            city: {impute: constant, fill: nowhere}
                          derived:
                            - {name: amount_per_count, expression: "amount / max(count, 1)"}
                        """),
                // A column numeric past the profile's cap on distinct values, then text: its counts are taken again.
                Arguments.of("capped-then-text", GOLDEN.resolve("capped.csv"),
                        "task: classification\ntarget: label\nmodels: [{type: xgboost}]\n"),
                Arguments.of("messy-regression", GOLDEN.resolve("messy.csv"),
                        "task: regression\ntarget: value\nmodels: [{type: mlp}]\nsplit: {test: 0.25, validation: 0.1, seed: 9}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theDataPathGivesTheRecordedBytes(String name, Path csv, String specBody) throws Exception {
        String uri = fixture.upload("golden/" + name + ".csv", csv);
        PipelineSpec spec = SpecParser.parse("name: golden\ndata: {uri: \"" + uri + "\"}\n" + specBody);
        SnapshotResult snapshot = data.snapshot(new SnapshotInput("golden-" + name, "golden-" + name, uri, null));
        assertNotNull(data.parsed().get(snapshot.data()), "the snapshot keeps the table it parsed for this worker");
        ObjectNode actual = outputs(data, "golden-" + name, spec, snapshot);
        assertNull(data.parsed().get(snapshot.data()), "the features activity lets the table go");
        // Another worker (or this one after a restart) reads the snapshot from the store: the same outputs.
        ObjectNode again = outputs(new DataActivitiesImpl(fixture.store), "golden-" + name, spec, snapshot);
        assertEquals(JSON.writeValueAsString(actual), JSON.writeValueAsString(again), name + ": a table read again differs");

        Path golden = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("trainlayer.recordGolden")) {
            Files.writeString(golden, JSON.writeValueAsString(actual) + "\n");
        }
        JsonNode expected = JSON.readTree(golden.toFile());
        assertEquals(JSON.writeValueAsString(expected), JSON.writeValueAsString(actual), name + ": the data path's output changed");
    }

    /** The snapshot's validation and features by {@code data}, and their artifacts' bytes' sha256. */
    private static ObjectNode outputs(DataActivitiesImpl data, String runId, PipelineSpec spec, SnapshotResult snapshot)
            throws Exception {
        ValidationReport report = data.validate(new ValidateInput(runId, spec, snapshot));
        FeaturesResult features = data.buildFeatures(new FeaturesInput(runId, spec, snapshot));

        ObjectNode actual = JSON.createObjectNode();
        actual.put("snapshotSha256", snapshot.sha256());
        actual.put("rows", snapshot.rows());
        actual.put("columns", snapshot.columns());
        actual.set("schema", JSON.readTree(fixture.store.getBytes(snapshot.schema())));
        actual.set("profile", JSON.readTree(fixture.store.getBytes(snapshot.profile())));
        actual.set("validation", JSON.valueToTree(report));
        ObjectNode artifacts = actual.putObject("features");
        artifacts.put("pipeline.json", sha(features.pipeline()));
        artifacts.put("train.bin", sha(features.train()));
        artifacts.put("validation.bin", sha(features.validation()));
        artifacts.put("test.csv", sha(features.testRaw()));
        artifacts.put("split", features.trainRows() + "/" + features.validationRows() + "/" + features.testRows());
        artifacts.set("featureNames", JSON.valueToTree(features.featureNames()));
        ArrayNode folds = artifacts.putArray("folds");
        for (FoldFeatures f : features.folds()) {
            folds.addObject().put("train.bin", sha(f.train())).put("validation.bin", sha(f.validation()));
        }
        return actual;
    }

    /** A kept table is not used once its stored snapshot is gone: validation fails as it does without one. */
    @org.junit.jupiter.api.Test
    void aKeptTableWhoseSnapshotIsGoneFailsAsWithoutOne() throws Exception {
        String uri = fixture.upload("golden/gone.csv", GOLDEN.resolve("messy.csv"));
        PipelineSpec spec = SpecParser.parse("name: golden\ndata: {uri: \"" + uri + "\"}\ntask: regression\ntarget: value\n"
                + "models: [{type: xgboost}]\n");
        SnapshotResult snapshot = data.snapshot(new SnapshotInput("golden-gone", "golden-gone", uri, null));
        assertNotNull(data.parsed().get(snapshot.data()));
        fixture.store.delete(snapshot.data().key());
        ValidateInput input = new ValidateInput("golden-gone", spec, snapshot);
        String kept = failure(() -> data.validate(input));
        assertEquals(failure(() -> new DataActivitiesImpl(fixture.store).validate(input)), kept);
        assertNull(data.parsed().get(snapshot.data()), "the table of a snapshot that is gone is let go");
    }

    private static String failure(Runnable activity) {
        try {
            activity.run();
            return "no failure";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** A table of {@code rows} rows, seeded: two numeric columns and a 0/1 label that {@code shift} moves. */
    static String driftTable(int rows, double shift, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("x,z,label\n");
        for (int r = 0; r < rows; r++) {
            double x = random.nextGaussian() + shift;
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.3f,%d%n", x, random.nextDouble(), x + random.nextGaussian() > 0 ? 1 : 0));
        }
        return csv.toString();
    }

    static Stream<Arguments> refusals() {
        String messy = "golden/messy.csv";
        return Stream.of(
                Arguments.of("regression-target-not-numeric", messy, null, "task: regression\ntarget: city\n"),
                Arguments.of("empty-labels", messy, null, "task: regression\ntarget: ratio\n"),
                Arguments.of("declared-columns", messy, null, """
                        task: classification
                        target: amount
                        features:
                          exclude: [nope]
                          columns:
                            city: {type: numeric}
                            ratio: {impute: constant, fill: abc}
                            ghost: {scale: minmax}
                          derived:
                            - {name: count, expression: "ratio * 2"}
                            - {name: other, expression: "ratio * missing_column"}
                        """),
                Arguments.of("label-balance", messy, null,
                        "task: classification\ntarget: grade\nvalidation: {labelBalance: {minShare: 0.2, action: fail}}\n"),
                Arguments.of("label-balance-warns", messy, null, "task: classification\ntarget: grade\nvalidation: {labelBalance: {minShare: 0.2}}\n"),
                // Over Monitoring.REFERENCE_ROWS rows, so the drift check samples the table.
                Arguments.of("drift-sampled", "golden/drift-now.csv", "golden/drift-then.csv",
                        "task: classification\ntarget: label\nvalidation: {drift: {maxPsi: 0.05}}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void validationSaysWhatItSaidBefore(String name, String key, String championKey, String specBody) throws Exception {
        fixture.upload("golden/messy.csv", GOLDEN.resolve("messy.csv"));
        fixture.upload("golden/drift-now.csv", driftTable(26_000, 0.4, 1));
        fixture.upload("golden/drift-then.csv", driftTable(21_000, 0.0, 2));
        String uri = "s3://" + StoreFixture.SOURCE_BUCKET + "/" + key;
        PipelineSpec spec = SpecParser.parse("name: golden\ndata: {uri: \"" + uri + "\"}\nmodels: [{type: xgboost}]\n" + specBody);
        SnapshotResult snapshot = data.snapshot(new SnapshotInput("golden-" + name, "golden-" + name, uri, null));
        String championData = null;
        if (championKey != null) {
            SnapshotResult champion = data.snapshot(new SnapshotInput("golden-" + name, "golden-" + name,
                    "s3://" + StoreFixture.SOURCE_BUCKET + "/" + championKey, null));
            championData = dev.trainlayer.workflows.artifact.Keys.datasetData("golden-" + name, champion.sha256());
        }
        ValidateInput input = new ValidateInput("golden-" + name, spec, snapshot, championData);
        String said = said(data, input);
        // Without the table this worker kept from the snapshot: read from the store, the same answer.
        assertEquals(said, said(new DataActivitiesImpl(fixture.store), input), name + ": validation of a table read again differs");
        Path golden = GOLDEN.resolve("validation-" + name + ".txt");
        if (Boolean.getBoolean("trainlayer.recordGolden")) {
            Files.writeString(golden, said + "\n");
        }
        assertEquals(Files.readString(golden).strip(), said, name + ": validation's answer changed");
    }

    private static String said(DataActivitiesImpl data, ValidateInput input) {
        try {
            ValidationReport report = data.validate(input);
            return "passed: " + report.rows() + " rows, classes " + report.classes() + ", warnings " + report.warnings();
        } catch (io.temporal.failure.ApplicationFailure f) {
            return f.getType() + (f.isNonRetryable() ? " (non-retryable): " : ": ") + f.getOriginalMessage();
        }
    }

    /** The sha256 of the stored bytes (not the reference's claim). */
    static String sha(ArtifactRef ref) {
        return ObjectStore.sha256(fixture.store.getBytes(ref));
    }
}
