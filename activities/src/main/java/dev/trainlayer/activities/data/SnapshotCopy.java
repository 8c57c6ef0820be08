package dev.trainlayer.activities.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * One CSV object read into a snapshot as it streams: what a reader gets is the snapshot's bytes, which this stream also
 * hashes and writes to a local copy. The snapshot is the object as concatenating parts makes it: the header line
 * decoded and written back with a plain line break, the rest as is, and a final line break when the object lacks one.
 * Once the object has been read to its end, {@link #done} holds the snapshot's sha256 and size, and whether its bytes
 * are the object's own ({@link Done#verbatim}): then the store can copy the object itself rather than take the copy
 * back up, and the copy's MD5 tells whether it holds those very bytes.
 */
final class SnapshotCopy extends InputStream {
    /**
     * The snapshot read to its end: its sha256, its MD5 (what a store gives as the ETag of an object written whole, to
     * check a server-side copy by), its size, and whether its bytes are the source object's own.
     */
    record Done(String sha256, String md5, long size, boolean verbatim) {}

    private final InputStream source;
    private final OutputStream copy;
    private final MessageDigest digest;
    private final MessageDigest md5;
    private final CompletableFuture<Done> done = new CompletableFuture<>();
    /** The header line as the snapshot has it, served before the source's next bytes; null once served. */
    private byte[] header;
    private int headerAt;
    private boolean verbatim = true;
    private int last = '\n';
    private long size;
    private boolean ended;

    /** @param copy where the snapshot's bytes are written as they are read; closed at the end of the source */
    SnapshotCopy(InputStream source, OutputStream copy) {
        this.source = source;
        this.copy = copy;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Completes when the source has been read to its end (exceptionally when reading it failed). */
    CompletableFuture<Done> done() {
        return done;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        try {
            return readChecked(into, offset, length);
        } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
            throw e;
        }
    }

    private int readChecked(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        if (size == 0 && header == null && !readHeader()) {
            return end();
        }
        int n;
        if (header != null) {
            n = Math.min(length, header.length - headerAt);
            System.arraycopy(header, headerAt, into, offset, n);
            headerAt += n;
            if (headerAt == header.length) {
                header = null;
            }
        } else {
            n = source.read(into, offset, length);
            if (n < 0) {
                if (last == '\n') {
                    return end();
                }
                // A last line without its line break gets one, as concatenation gives it.
                verbatim = false;
                into[offset] = '\n';
                n = 1;
            }
        }
        copy.write(into, offset, n);
        digest.update(into, offset, n);
        md5.update(into, offset, n);
        size += n;
        last = into[offset + n - 1];
        return n;
    }

    /** A line's bytes without its line break, and whether it had one (the stream's last line may not). */
    record Line(byte[] bytes, boolean terminated) {
        /** The line as a snapshot keeps a header: decoded as UTF-8, a trailing CR dropped. */
        String text() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
    }

    /** The next line of {@code in}; null at its end. */
    static Line line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.write(c);
        }
        if (c == -1 && line.size() == 0) {
            return null;
        }
        return new Line(line.toByteArray(), c == '\n');
    }

    /**
     * Reads the header line off the source and keeps it as the snapshot has it ({@link Line#text}, then a plain line
     * break); false for an empty source.
     */
    private boolean readHeader() throws IOException {
        Line line = line(source);
        if (line == null) {
            return false;
        }
        byte[] kept = (line.text() + "\n").getBytes(StandardCharsets.UTF_8);
        verbatim = line.terminated() && Arrays.equals(kept, 0, kept.length - 1, line.bytes(), 0, line.bytes().length);
        header = kept;
        headerAt = 0;
        return true;
    }

    private int end() throws IOException {
        ended = true;
        copy.close();
        done.complete(new Done(HexFormat.of().formatHex(digest.digest()), HexFormat.of().formatHex(md5.digest()), size, verbatim));
        return -1;
    }

    @Override
    public void close() throws IOException {
        try {
            source.close();
        } finally {
            copy.close();
            done.completeExceptionally(new IOException("the snapshot's source was closed before its end"));
        }
    }
}
