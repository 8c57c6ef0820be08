package dev.trainlayer.scoring;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Work on a table's columns, one task per column, in parallel on as many threads as the cores and the heap allow:
 * each task's working memory ({@code bytesPerTask}) times the threads stays within an eighth of the heap, so a very
 * long table is done a column or two at a time rather than exhausting the heap on a many-core machine.
 *
 * <p>The tasks must be independent (each writes only its own slots); the result is then the same in any order. A task
 * that throws does not stop the others; once all have run, the exception of the lowest-numbered failed task is thrown,
 * as it was thrown (the same one whatever the timing, and its message unchanged).
 */
public final class ColumnTasks {
    private ColumnTasks() {}

    /** Runs {@code task} for 0 to {@code count - 1}: in parallel when {@code inParallel} and more than one thread fits. */
    public static void run(int count, long bytesPerTask, boolean inParallel, IntConsumer task) {
        int threads = inParallel ? threads(count, bytesPerTask, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory()) : 1;
        if (threads <= 1) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        Throwable[] failures = new Throwable[count];
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            // A parallel stream started inside a pool runs on that pool's threads.
            pool.submit(() -> IntStream.range(0, count).parallel().forEach(i -> {
                try {
                    task.accept(i);
                } catch (RuntimeException | Error e) {
                    failures[i] = e;
                }
            })).join();
        } finally {
            pool.shutdown();
        }
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    /** Threads for {@code count} tasks of {@code bytesPerTask} each: at most the cores, the tasks, and what an eighth of the heap holds. */
    static int threads(int count, long bytesPerTask, int cores, long maxMemory) {
        long byMemory = Math.max(1, maxMemory / 8 / Math.max(1, bytesPerTask));
        return (int) Math.max(1, Math.min(Math.min(count, cores), byMemory));
    }
}
