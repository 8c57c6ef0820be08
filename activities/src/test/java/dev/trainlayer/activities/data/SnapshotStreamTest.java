package dev.trainlayer.activities.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.activities.StoreFixture;
import dev.trainlayer.store.ArtifactCorruptException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.ReadAhead;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-pass snapshot of a single object: {@link SnapshotCopy} (the snapshot's bytes as concatenation makes them,
 * hashed and copied as they are read), {@link ReadAhead} (reading on a thread of its own), the store's reads and copies
 * pinned to an ETag, and the snapshot activity that puts them together.
 */
class SnapshotStreamTest {
    @TempDir
    static Path dir;
    static StoreFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new StoreFixture(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aSnapshotIsTheObjectAsConcatenationMakesIt() throws Exception {
        // verbatim: a plain header line, a final line break (CRLF rows are left as they are)
        assertCopy("a,b\n1,2\r\n3,4\n", "a,b\n1,2\r\n3,4\n", true);
        // the header's CR is dropped, a missing final line break added: the bytes are no longer the object's
        assertCopy("a,b\r\n1,2\r\n", "a,b\n1,2\r\n", false);
        assertCopy("a,b\n1,2", "a,b\n1,2\n", false);
        assertCopy("a,b", "a,b\n", false);
        assertCopy("\uFEFFa,é\n1,2\n", "\uFEFFa,é\n1,2\n", true);
        // a header that is not UTF-8 is decoded (U+FFFD) as concatenation decodes it
        byte[] latin1 = "a,\u00e9\n1,2\n".getBytes(StandardCharsets.ISO_8859_1);
        Done done = copy(latin1, 7);
        assertEquals("a,\uFFFD\n1,2\n", new String(done.bytes, StandardCharsets.UTF_8));
        assertFalse(done.done.verbatim());
        assertEquals(0, copy(new byte[0], 5).done.size());
    }

    private static void assertCopy(String object, String snapshot, boolean verbatim) throws Exception {
        byte[] expected = snapshot.getBytes(StandardCharsets.UTF_8);
        for (int chunk : new int[] {1, 3, 1 << 16}) {
            Done done = copy(object.getBytes(StandardCharsets.UTF_8), chunk);
            assertEquals(snapshot, new String(done.bytes, StandardCharsets.UTF_8), "read " + chunk + " at a time");
            assertArrayEquals(expected, done.copied, "the local copy");
            assertEquals(ObjectStore.sha256(expected), done.done.sha256());
            assertEquals(expected.length, done.done.size());
            assertEquals(verbatim, done.done.verbatim(), object);
        }
    }

    private record Done(byte[] bytes, byte[] copied, SnapshotCopy.Done done) {}

    private static Done copy(byte[] object, int chunk) throws Exception {
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        SnapshotCopy copy = new SnapshotCopy(new ByteArrayInputStream(object), copied);
        try (copy) {
            byte[] buffer = new byte[chunk];
            for (int n; (n = copy.read(buffer, 0, chunk)) >= 0; ) {
                read.write(buffer, 0, n);
            }
        }
        assertTrue(copy.done().isDone() && !copy.done().isCompletedExceptionally());
        return new Done(read.toByteArray(), copied.toByteArray(), copy.done().join());
    }

    @Test
    void readingAheadGivesTheSameBytesAndTheSourcesFailureWhereItHappened() throws Exception {
        byte[] bytes = new byte[3 * 256 * 1024 + 12345];
        new SplittableRandom(7).nextBytes(bytes);
        SplittableRandom sizes = new SplittableRandom(8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReadAhead in = new ReadAhead(new ByteArrayInputStream(bytes), "test")) {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
                byte[] buffer = new byte[1 + sizes.nextInt(100_000)];
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            assertEquals(-1, in.read());
        }
        assertArrayEquals(bytes, out.toByteArray());

        // A source that fails after 300,000 bytes (as a digest check fails on the read that finds the end): those come
        // first, then its own exception.
        InputStream failing = new InputStream() {
            int left = 300_000;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                if (left == 0) {
                    throw new ArtifactCorruptException("s3://b/k", "aa", "bb");
                }
                int n = Math.min(Math.min(length, 1000), left);
                left -= n;
                return n;
            }
        };
        try (ReadAhead in = new ReadAhead(failing, "test")) {
            assertEquals(300_000, in.readNBytes(300_000).length);
            assertThrows(ArtifactCorruptException.class, in::read);
        }
    }

    @Test
    void closingEarlyStopsTheReaderAndClosesTheSource() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        ReadAhead in = new ReadAhead(endless, "test");
        assertEquals('x', in.read());
        in.close();
        assertTrue(closed.get(), "the source is closed once the stream is");
    }

    @Test
    void aServerSideCopyIsKeptOnlyWhenItHoldsTheBytesRead() throws Exception {
        ObjectStore store = fixture.store;
        DataActivitiesImpl data = new DataActivitiesImpl(store);
        byte[] v1 = "a\n1\n".getBytes(StandardCharsets.UTF_8);
        store.putBytes(StoreFixture.SOURCE_BUCKET, "pinned.csv", v1, "text/csv");
        Path local = dir.resolve("v1.csv");
        java.nio.file.Files.write(local, v1);
        SnapshotCopy.Done read = copy(v1, 64).done;
        ArtifactRef kept = data.keep(read, StoreFixture.SOURCE_BUCKET, "pinned.csv", local, "pinned");
        assertArrayEquals(v1, store.getBytes(kept));
        assertEquals(read.md5(), store.stat(kept.bucket(), kept.key()).orElseThrow().etag(), "the store's own copy");

        // The object changes between the read and the copy: the store copies the new object, and the snapshot then
        // holds the bytes read instead.
        store.putBytes(StoreFixture.SOURCE_BUCKET, "pinned.csv", "a\n2\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        ArtifactRef again = data.keep(read, StoreFixture.SOURCE_BUCKET, "pinned.csv", local, "pinned-again");
        assertArrayEquals(v1, store.getBytes(again));
    }

    @Test
    void readsPinnedToAnETagReadThatVersion() throws Exception {
        ObjectStore store = fixture.store;
        store.putBytes(StoreFixture.SOURCE_BUCKET, "etag.csv", "a\n1\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        String etag = store.stat(StoreFixture.SOURCE_BUCKET, "etag.csv").orElseThrow().etag();
        try (InputStream in = store.open(StoreFixture.SOURCE_BUCKET, "etag.csv", etag)) {
            assertEquals("a\n1\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        // (S3Proxy ignores If-Match on reads, so refusing a changed object is checked on MinIO, by RealServersIT's runs)
    }

    @Test
    void theSnapshotOfOneObjectHoldsItsBytesOrTheNormalizedOnes() throws Exception {
        DataActivitiesImpl data = new DataActivitiesImpl(fixture.store);
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i).append(',').append(i % 2).append('\n');
        }
        String lf = csv.toString();
        SnapshotResult verbatim = snapshot(data, "one/lf.csv", lf);
        assertEquals(ObjectStore.sha256(lf.getBytes(StandardCharsets.UTF_8)), verbatim.sha256());
        assertEquals(lf, stored(verbatim));
        // The same table without its final line break, and with a CRLF header: the same snapshot as concatenated parts.
        SnapshotResult unterminated = snapshot(data, "one/unterminated.csv", lf.substring(0, lf.length() - 1));
        assertEquals(verbatim.sha256(), unterminated.sha256());
        // (another dataset, so the snapshot is written rather than found: the local copy goes up, not the object)
        SnapshotResult crlf = data.snapshot(new SnapshotInput("r", "crlf", fixture.upload("one/crlf.csv", "x,y\r\n" + lf.substring(4))));
        assertEquals(verbatim.sha256(), crlf.sha256());
        assertEquals(lf, stored(crlf));
        fixture.upload("two/p-000.csv", "x,y\r\n" + lf.substring(4, 20));
        fixture.upload("two/p-001.csv", "x,y\n" + lf.substring(20));
        assertEquals(verbatim.sha256(), data.snapshot(new SnapshotInput("r", "t", "s3://incoming/two/")).sha256());
    }

    private static SnapshotResult snapshot(DataActivitiesImpl data, String key, String csv) {
        return data.snapshot(new SnapshotInput("r", "t", fixture.upload(key, csv)));
    }

    private static String stored(SnapshotResult s) throws IOException {
        try (InputStream in = fixture.store.open(s.data())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
