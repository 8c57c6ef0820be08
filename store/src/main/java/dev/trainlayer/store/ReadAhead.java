package dev.trainlayer.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream ahead of its reader, on a thread of its own: the source's work (the network, a digest, a copy it
 * writes as it is read) runs beside the reader's (parsing), on a worker's second core. The two hand buffers over through
 * a small queue, so no more than {@link #DEPTH} buffers are ever held. A failure of the source, unchecked ones such as
 * {@link ArtifactCorruptException} included, is thrown from {@code read} where the reader reaches it, as it happened.
 *
 * <p>Closing stops the reading thread and closes the source, whether or not the stream was read to its end.
 */
public final class ReadAhead extends InputStream {
    /** Under G1's humongous size for any heap region size, so buffers are ordinary young objects. */
    static final int BUFFER = 256 * 1024;
    static final int DEPTH = 8;

    private record Chunk(byte[] bytes, int length, Throwable failure) {
        static final Chunk END = new Chunk(null, -1, null);
    }

    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread thread;
    private volatile boolean closed;
    private Chunk current;
    private int position;
    private boolean ended;

    /** Starts reading {@code source} at once; {@code name} names the thread (in thread dumps and profiles). */
    public ReadAhead(InputStream source, String name) {
        thread = new Thread(() -> fill(source), "trainlayer-read-ahead-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void fill(InputStream source) {
        try (source) {
            while (!closed) {
                byte[] buffer = free.poll();
                if (buffer == null) {
                    buffer = new byte[BUFFER];
                }
                int n = 0;
                try {
                    for (int r; n < buffer.length && (r = source.read(buffer, n, buffer.length - n)) >= 0; ) {
                        n += r;
                    }
                } finally {
                    // What was read before a failure comes before it.
                    if (n > 0) {
                        hand(new Chunk(buffer, n, null));
                    }
                }
                if (n < buffer.length) {
                    break;
                }
            }
            hand(Chunk.END);
        } catch (Throwable failure) {
            hand(new Chunk(null, -1, failure));
        }
    }

    /** Queues a chunk for the reader; gives up once the stream is closed (nobody will take it). */
    private void hand(Chunk chunk) {
        try {
            while (!closed && !full.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                // the reader is behind: wait for room
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The chunk being read, the next one once it is used up; null at the end. */
    private Chunk chunk() throws IOException {
        if (ended) {
            return null;
        }
        if (current != null && position < current.length()) {
            return current;
        }
        if (current != null) {
            free.offer(current.bytes());
            current = null;
        }
        Chunk next;
        try {
            next = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
        if (next.failure() != null) {
            ended = true;
            Throwable failure = next.failure();
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new UncheckedIOException(new IOException(failure));
        }
        if (next == Chunk.END) {
            ended = true;
            return null;
        }
        current = next;
        position = 0;
        return current;
    }

    @Override
    public int read() throws IOException {
        Chunk chunk = chunk();
        return chunk == null ? -1 : chunk.bytes()[position++] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, into.length);
        if (length == 0) {
            return 0;
        }
        Chunk chunk = chunk();
        if (chunk == null) {
            return -1;
        }
        int n = Math.min(length, chunk.length() - position);
        System.arraycopy(chunk.bytes(), position, into, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        full.clear();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
