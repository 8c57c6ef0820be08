package dev.trainlayer.activities.data;

import dev.trainlayer.activities.Failures;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.workflows.FailureTypes;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Parquet parts into the snapshot's CSV, through DuckDB's reader on a local copy of each part. Values are written in
 * one canonical text form: numbers in plain decimal notation without trailing zeros ({@code 17.99}, {@code 1001},
 * {@code 0.0001}), booleans as {@code true}/{@code false}, dates and times in ISO-8601, nulls as empty fields, so the
 * same table given as CSV (numbers written the usual way) or as Parquet becomes the same snapshot, and so the same model.
 * Rows keep the parts' order (DuckDB preserves insertion order).
 */
final class ParquetParts implements AutoCloseable {
    /** DuckDB's threads for reading (tests pin it with -Dtrainlayer.data.threads=1). */
    static int threads() {
        String configured = System.getProperty("trainlayer.data.threads", System.getenv("TRAINLAYER_DATA_THREADS"));
        if (configured != null && !configured.isBlank()) {
            return Math.max(1, Integer.parseInt(configured.trim()));
        }
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    private final Connection db;
    private List<String> header;

    ParquetParts() {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            db = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = db.createStatement()) {
                s.execute("SET threads TO " + threads());
                s.execute("SET preserve_insertion_order TO true");
            }
        } catch (ClassNotFoundException | SQLException e) {
            throw new IllegalStateException("cannot start DuckDB to read Parquet: " + e.getMessage(), e);
        }
    }

    /**
     * Appends the rows of the Parquet file at {@code file} to {@code out}; the first part also writes the header, later
     * ones must have the same columns. {@code name} says which part in messages. Returns the rows written.
     */
    long append(Path file, String name, Writer out, Runnable progress) throws IOException {
        String path = file.toAbsolutePath().toString().replace("'", "''");
        try (Statement s = db.createStatement(); ResultSet rows = s.executeQuery("SELECT * FROM read_parquet('" + path + "')")) {
            ResultSetMetaData meta = rows.getMetaData();
            int n = meta.getColumnCount();
            List<String> columns = new ArrayList<>(n);
            for (int c = 1; c <= n; c++) {
                columns.add(meta.getColumnName(c));
            }
            if (header == null) {
                header = columns;
                Table.writeRow(out, columns.toArray(new String[0]));
            } else if (!header.equals(columns)) {
                throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "Parquet part " + name + " has columns " + columns
                        + ", the first part has " + header + ": every part must have the same columns in the same order");
            }
            String[] fields = new String[n];
            long count = 0;
            while (rows.next()) {
                for (int c = 1; c <= n; c++) {
                    fields[c - 1] = text(rows.getObject(c));
                }
                Table.writeRow(out, fields);
                if (++count % 65_536 == 0) {
                    progress.run();
                }
            }
            return count;
        } catch (SQLException e) {
            throw Failures.nonRetryable(FailureTypes.DATA_INVALID, "Parquet part " + name + " cannot be read: " + e.getMessage());
        }
    }

    boolean started() {
        return header != null;
    }

    /** A value's canonical text (see the class comment). */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return number(d);
        }
        if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? f.toString() : plain(new BigDecimal(Float.toString(f)));
        }
        if (v instanceof BigDecimal b) {
            return plain(b);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof byte[] bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        return v.toString();
    }

    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        return plain(BigDecimal.valueOf(d));
    }

    private static String plain(BigDecimal b) {
        if (b.signum() == 0) {
            return "0";
        }
        return b.stripTrailingZeros().toPlainString();
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // nothing to keep
        }
    }
}
