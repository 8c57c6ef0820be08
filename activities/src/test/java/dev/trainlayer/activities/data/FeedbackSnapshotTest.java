package dev.trainlayer.activities.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.activity.ValidateInput;
import dev.trainlayer.workflows.activity.ValidationReport;
import dev.trainlayer.workflows.artifact.FeedbackParts;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import io.temporal.failure.ApplicationFailure;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots with feedback: parts are matched to the source's columns by name, taken up to the run's start and no later,
 * a relabelled prediction counts once (the later label), the same inputs give the same dataset version; and the
 * validation rules on label balance and drift against the champion's data warn or fail as the spec says.
 */
class FeedbackSnapshotTest {
    static final ObjectMapper JSON = new ObjectMapper();

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

    static void part(String pipeline, long at, String csv) throws Exception {
        String key = FeedbackParts.key(pipeline, at, "0123456789abcdef0123456789abcdef", Table.read(new StringReader(csv)).size());
        fixture.store.putBytes(key, csv.getBytes(StandardCharsets.UTF_8), "text/csv");
    }

    static String base(int n, double scale, int minority) {
        StringBuilder csv = new StringBuilder("x,c,y\n");
        for (int i = 0; i < n; i++) {
            csv.append(i * scale).append(',').append(i % 3 == 0 ? "u" : "v").append(',').append(i < minority ? "no" : "yes").append('\n');
        }
        return csv.toString();
    }

    @Test
    void feedbackJoinsTheSnapshotOnceUpToTheRunsStart() throws Exception {
        String uri = fixture.upload("fb/base.csv", base(30, 1, 10));
        part("p", 1_000, "y,x,_predictionId\nno,100,p1\nyes,101,p2\nno,102,p3\n");
        part("p", 2_000, "x,y,_predictionId,extra\n101,no,p2,z\n103,yes,,z\n");
        part("p", 5_000, "x,y\n104,no\n");

        SnapshotResult s = data.snapshot(new SnapshotInput("r", "fbt", uri, null, Keys.feedback("p"), 3_000L));
        assertEquals(34, s.rows(), "30 source rows, 4 feedback rows: p2's second label replaces its first");
        assertEquals(4L, s.feedbackRows());
        assertEquals(2, s.feedbackParts(), "the part received after the run started is not taken");
        Table table = Table.read(new StringReader(fixture.store.getString(Keys.datasetData("fbt", s.sha256()))));
        assertEquals(34, table.size());
        assertEquals(List.of("x", "c", "y"), table.header(), "the source's columns, in its order");
        assertEquals(List.of("101", "", "no"), List.of(table.rows().get(31)), "p2 with its later label; c is empty");
        assertEquals(List.of("103", "", "yes"), List.of(table.rows().get(33)));
        JsonNode manifest = JSON.readTree(fixture.store.getString(Keys.datasetFeedback("fbt", s.sha256())));
        assertEquals(2, manifest.size());
        assertEquals(3, manifest.get(0).path("rows").asInt());

        SnapshotResult again = data.snapshot(new SnapshotInput("r", "fbt", uri, null, Keys.feedback("p"), 3_000L));
        assertEquals(s.sha256(), again.sha256(), "a retried snapshot takes the same parts: the same dataset version");
        SnapshotResult later = data.snapshot(new SnapshotInput("r2", "fbt", uri, null, Keys.feedback("p"), 6_000L));
        assertEquals(35, later.rows());
        assertNotEquals(s.sha256(), later.sha256());
        SnapshotResult without = data.snapshot(new SnapshotInput("r3", "fbt", uri, null));
        assertEquals(30, without.rows());
        assertEquals(null, without.feedbackRows());
    }

    static PipelineSpec spec(String uri, String extra) {
        return SpecParser.parse("name: t\ntask: classification\ntarget: y\ndata: {uri: \"" + uri + "\"}\n" + extra);
    }

    @Test
    void labelBalanceWarnsByDefaultAndFailsWhenAsked() {
        String uri = fixture.upload("fb/imbalanced.csv", base(100, 1, 2));
        SnapshotResult s = data.snapshot(new SnapshotInput("r", "imb", uri));
        ValidationReport report = data.validate(new ValidateInput("r", spec(uri, ""), s));
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("class 'no' is 2.00% of the labels")), report.warnings()::toString);
        ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> data.validate(new ValidateInput("r",
                spec(uri, "validation: {labelBalance: {minShare: 0.1, action: fail}}"), s)));
        assertEquals(FailureTypes.DATA_INVALID, f.getType());
        assertTrue(f.getOriginalMessage().contains("validation.labelBalance.minShare"), f.getOriginalMessage());
    }

    @Test
    void driftAgainstTheChampionsDataWarnsOrFails() {
        String old = fixture.upload("fb/old.csv", base(200, 1, 100));
        String shifted = fixture.upload("fb/new.csv", base(200, 10, 100));
        SnapshotResult champion = data.snapshot(new SnapshotInput("r", "drift", old));
        SnapshotResult now = data.snapshot(new SnapshotInput("r", "drift", shifted));
        String championData = Keys.datasetData("drift", champion.sha256());
        ValidationReport same = data.validate(new ValidateInput("r", spec(old, ""), champion, championData));
        assertTrue(same.warnings().isEmpty(), same.warnings()::toString);
        ValidationReport report = data.validate(new ValidateInput("r", spec(shifted, ""), now, championData));
        assertEquals(1, report.warnings().size(), report.warnings()::toString);
        assertTrue(report.warnings().get(0).startsWith("column 'x' drifted from the champion's training data: PSI"), report.warnings()::toString);
        assertTrue(report.warnings().get(0).contains("KS p ="));
        ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> data.validate(new ValidateInput("r",
                spec(shifted, "validation: {drift: {maxPsi: 0.5, action: fail}}"), now, championData)));
        assertTrue(f.getOriginalMessage().contains("validation.drift.maxPsi 0.500"), f.getOriginalMessage());
    }
}
