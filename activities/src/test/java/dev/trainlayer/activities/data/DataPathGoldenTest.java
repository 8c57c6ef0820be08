package dev.trainlayer.activities.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
                Arguments.of("messy-regression", GOLDEN.resolve("messy.csv"),
                        "task: regression\ntarget: value\nmodels: [{type: mlp}]\nsplit: {test: 0.25, validation: 0.1, seed: 9}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theDataPathGivesTheRecordedBytes(String name, Path csv, String specBody) throws Exception {
        String uri = fixture.upload("golden/" + name + ".csv", csv);
        PipelineSpec spec = SpecParser.parse("name: golden\ndata: {uri: \"" + uri + "\"}\n" + specBody);
        SnapshotResult snapshot = data.snapshot(new SnapshotInput("golden-" + name, "golden-" + name, uri, null));
        ValidationReport report = data.validate(new ValidateInput("golden-" + name, spec, snapshot));
        FeaturesResult features = data.buildFeatures(new FeaturesInput("golden-" + name, spec, snapshot));

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

        Path golden = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("trainlayer.recordGolden")) {
            Files.writeString(golden, JSON.writeValueAsString(actual) + "\n");
        }
        JsonNode expected = JSON.readTree(golden.toFile());
        assertEquals(JSON.writeValueAsString(expected), JSON.writeValueAsString(actual), name + ": the data path's output changed");
    }

    /** The sha256 of the stored bytes (not the reference's claim). */
    static String sha(ArtifactRef ref) {
        return ObjectStore.sha256(fixture.store.getBytes(ref));
    }
}
