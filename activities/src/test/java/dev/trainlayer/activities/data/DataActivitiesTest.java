package dev.trainlayer.activities.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.activity.ValidateInput;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad data fails fast, non-retryably, with a message that names the column and the rule. */
class DataActivitiesTest {
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

    static String rows(String header, String row, int n) {
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (int i = 0; i < n; i++) {
            sb.append(row.replace("{i}", String.valueOf(i)).replace("{c}", i % 2 == 0 ? "a" : "b")).append('\n');
        }
        return sb.toString();
    }

    static ApplicationFailure fails(Executable call) {
        ApplicationFailure f = assertThrows(ApplicationFailure.class, call);
        assertTrue(f.isNonRetryable());
        return f;
    }

    static PipelineSpec spec(String uri, String target, String task, String extra) {
        return SpecParser.parse("name: t\ntask: " + task + "\ntarget: " + target + "\ndata: {uri: \"" + uri + "\"}\n" + extra);
    }

    SnapshotResult snapshot(String key, String csv) {
        return data.snapshot(new SnapshotInput("r", "t", fixture.upload(key, csv)));
    }

    ApplicationFailure validateFails(String key, String csv, String target, String task, String extra) {
        SnapshotResult s = snapshot(key, csv);
        return fails(() -> data.validate(new ValidateInput("r", spec("s3://incoming/" + key, target, task, extra), s)));
    }

    @Test
    void missingDataIsDatasetNotFound() {
        ApplicationFailure f = fails(() -> data.snapshot(new SnapshotInput("r", "t", "s3://incoming/none/x.csv")));
        assertEquals(FailureTypes.DATASET_NOT_FOUND, f.getType());
        assertTrue(f.getOriginalMessage().contains("s3://incoming/none/x.csv"));
        assertEquals(FailureTypes.DATASET_NOT_FOUND,
                fails(() -> data.snapshot(new SnapshotInput("r", "t", "s3://no-such-bucket/x.csv"))).getType());
    }

    @Test
    void emptyFilesAreInvalid() {
        assertEquals(FailureTypes.DATA_INVALID, fails(() -> snapshot("empty.csv", "")).getType());
        assertTrue(fails(() -> snapshot("header.csv", "a,b\n")).getOriginalMessage().contains("no rows"));
    }

    @Test
    void aPrefixOfPartsIsOneDataset() {
        fixture.upload("parts/p-000.csv", rows("x,y", "{i},{c}", 15));
        fixture.upload("parts/p-001.csv", rows("x,y", "{i},{c}", 10));
        SnapshotResult s = data.snapshot(new SnapshotInput("r", "t", "s3://incoming/parts/"));
        assertEquals(25, s.rows());
        fixture.upload("bad-parts/p-000.csv", rows("x,y", "{i},{c}", 15));
        fixture.upload("bad-parts/p-001.csv", rows("x,z", "{i},{c}", 10));
        assertTrue(fails(() -> data.snapshot(new SnapshotInput("r", "t", "s3://incoming/bad-parts")))
                .getOriginalMessage().contains("different header"));
    }

    @Test
    void sameBytesSameVersion() {
        String csv = rows("x,y", "{i},{c}", 30);
        assertEquals(snapshot("v1.csv", csv).sha256(), snapshot("v2.csv", csv).sha256());
    }

    @Test
    void unknownTargetNamesTheColumns() {
        ApplicationFailure f = validateFails("ok.csv", rows("x,y", "{i},{c}", 30), "label", "classification", "");
        assertEquals(FailureTypes.DATA_INVALID, f.getType());
        assertTrue(f.getOriginalMessage().contains("'label'") && f.getOriginalMessage().contains("x, y"), f.getOriginalMessage());
    }

    @Test
    void emptyLabelsSingleClassAndTooFewRows() {
        assertTrue(validateFails("nolabel.csv", rows("x,y", "{i},", 30), "y", "classification", "")
                .getOriginalMessage().contains("empty or NaN in 30 rows"));
        assertTrue(validateFails("oneclass.csv", rows("x,y", "{i},a", 30), "y", "classification", "")
                .getOriginalMessage().contains("single class"));
        assertTrue(validateFails("few.csv", rows("x,y", "{i},{c}", 5), "y", "classification", "")
                .getOriginalMessage().contains("at least 20"));
    }

    @Test
    void nonNumericValuesInNumericColumnsNameColumnAndLine() {
        assertTrue(validateFails("reg.csv", rows("x,y", "{i},{c}", 30), "y", "regression", "")
                .getOriginalMessage().contains("must be numeric for regression but CSV line 2 has 'a'"));
        String f = validateFails("num.csv", rows("x,y", "v{i},{c}", 30), "y", "classification",
                "features: {columns: {x: {type: numeric}}}\n").getOriginalMessage();
        assertTrue(f.contains("features.columns.x") && f.contains("line 2 has 'v0'"), f);
    }

    @Test
    void declaredColumnsMustExist() {
        String f = validateFails("decl.csv", rows("x,y", "{i},{c}", 30), "y", "classification",
                "features: {exclude: [z], derived: [{name: d, expression: \"w * 2\"}]}\n").getOriginalMessage();
        assertTrue(f.contains("features.exclude: column 'z'") && f.contains("features.derived[0].expression: column 'w'"), f);
    }
}
