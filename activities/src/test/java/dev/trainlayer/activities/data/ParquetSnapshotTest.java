package dev.trainlayer.activities.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet input: the breast-cancer table written to Parquet (by DuckDB, as a data layer would hand it over) becomes the
 * very snapshot its CSV becomes — the same bytes, so the same sha256, profile, split, features and model — whether it
 * comes as one object or as a prefix of parts; parts with other columns are refused naming the part.
 */
class ParquetSnapshotTest {
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

    /** Runs DuckDB SQL in a fresh in-memory database (to write the test's Parquet files). */
    static void duckdb(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    static String csv() {
        return StoreFixture.BREAST_CANCER.toAbsolutePath().toString();
    }

    @Test
    void parquetAndCsvOfTheSameTableAreTheSameSnapshot() throws Exception {
        Path whole = dir.resolve("whole.parquet");
        duckdb("COPY (SELECT * FROM read_csv('" + csv() + "', header = true)) TO '" + whole + "' (FORMAT PARQUET)");
        Path first = dir.resolve("part-0.parquet");
        Path second = dir.resolve("part-1.parquet");
        duckdb("COPY (SELECT * FROM read_csv('" + csv() + "', header = true) LIMIT 300) TO '" + first + "' (FORMAT PARQUET)");
        duckdb("COPY (SELECT * FROM read_csv('" + csv() + "', header = true) OFFSET 300) TO '" + second + "' (FORMAT PARQUET)");

        SnapshotResult fromCsv = data.snapshot(new SnapshotInput("r", "pq", fixture.upload("pq/bc.csv", StoreFixture.BREAST_CANCER)));
        SnapshotResult fromParquet = data.snapshot(new SnapshotInput("r", "pq", fixture.upload("pq/bc.parquet", whole), null)
                .withFormat("parquet"));
        assertEquals(569, fromParquet.rows());
        assertEquals(fromCsv.sha256(), fromParquet.sha256(), "the same table as Parquet is the same dataset version");
        fixture.upload("pq/parts/part-0.parquet", first);
        fixture.upload("pq/parts/part-1.parquet", second);
        fixture.upload("pq/parts/readme.txt", "not a part");
        SnapshotResult fromParts = data.snapshot(new SnapshotInput("r", "pq", "s3://" + StoreFixture.SOURCE_BUCKET + "/pq/parts/", null)
                .withFormat("parquet"));
        assertEquals(fromCsv.sha256(), fromParts.sha256(), "a prefix of parts, in key order, is the same table");
    }

    @Test
    void partsWithOtherColumnsAreRefusedNamingThePart() throws Exception {
        Path a = dir.resolve("a.parquet");
        Path b = dir.resolve("b.parquet");
        duckdb("COPY (SELECT 1 AS x, 'u' AS y) TO '" + a + "' (FORMAT PARQUET)");
        duckdb("COPY (SELECT 1 AS x, 'u' AS z) TO '" + b + "' (FORMAT PARQUET)");
        fixture.upload("bad/p/a.parquet", a);
        fixture.upload("bad/p/b.parquet", b);
        ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> data.snapshot(
                new SnapshotInput("r", "bad", "s3://" + StoreFixture.SOURCE_BUCKET + "/bad/p/", null).withFormat("parquet")));
        assertEquals(FailureTypes.DATA_INVALID, f.getType());
        assertTrue(f.getOriginalMessage().contains("bad/p/b.parquet") && f.getOriginalMessage().contains("same columns"), f.getOriginalMessage());
        fixture.upload("bad/q.parquet", "this is not parquet");
        ApplicationFailure notParquet = assertThrows(ApplicationFailure.class, () -> data.snapshot(
                new SnapshotInput("r", "bad", "s3://" + StoreFixture.SOURCE_BUCKET + "/bad/q.parquet", null).withFormat("parquet")));
        assertEquals(FailureTypes.DATA_INVALID, notParquet.getType());
        assertTrue(Files.exists(dir));
    }

    @Test
    void valuesHaveOneCanonicalText() {
        assertEquals("17.99", ParquetParts.text(17.99));
        assertEquals("1001", ParquetParts.text(1001.0));
        assertEquals("0.0001", ParquetParts.text(1e-4));
        assertEquals("-2.5", ParquetParts.text(-2.5f));
        assertEquals("0", ParquetParts.text(-0.0));
        assertEquals("", ParquetParts.text(null));
        assertEquals("NaN", ParquetParts.text(Double.NaN));
        assertEquals("12", ParquetParts.text(12L));
        assertEquals("true", ParquetParts.text(Boolean.TRUE));
    }
}
