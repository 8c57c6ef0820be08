package dev.trainlayer.api;

import dev.trainlayer.scoring.Scorer;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.registry.ModelVersion;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * Loaded model versions for the predict route: loading one (reading and checking its files, starting its engine)
 * costs far more than scoring a request, so the most recently used ones stay loaded. A version evicted while a
 * request still scores with it is closed when that request is done.
 */
@Singleton
public class Scorers {
    private final ObjectStore store;
    private final int capacity;
    private final Map<String, Entry> loaded;

    private static final class Entry {
        final Scorer scorer;
        final ReadWriteLock lock = new ReentrantReadWriteLock();

        Entry(Scorer scorer) {
            this.scorer = scorer;
        }

        void closeWhenIdle() {
            // Waits for requests still scoring with it, on a thread of its own so the cache is not held meanwhile.
            Thread closer = new Thread(() -> {
                lock.writeLock().lock();
                try {
                    scorer.close();
                } finally {
                    lock.writeLock().unlock();
                }
            }, "scorer-close");
            closer.setDaemon(true);
            closer.start();
        }
    }

    public Scorers(ObjectStore store, @Value("${trainlayer.api.scoring.loaded-models:4}") int capacity) {
        this.store = store;
        this.capacity = Math.max(1, capacity);
        this.loaded = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** Runs {@code use} with the version's scorer, loading it first when it is not loaded. */
    public <T> T with(String registry, ModelVersion version, Function<Scorer, T> use) {
        String key = registry + "@" + version.version() + "#" + (version.artifacts() == null ? "" : version.artifacts().sha256());
        Entry entry;
        // The read lock is taken while the cache is held: an eviction (which closes under the write lock) either
        // happens before this request finds the entry, or waits until the request is done with it.
        synchronized (loaded) {
            entry = loaded.get(key);
            if (entry != null) {
                entry.lock.readLock().lock();
            }
        }
        if (entry == null) {
            Entry fresh = new Entry(Scorer.load(store, version));
            synchronized (loaded) {
                entry = loaded.get(key);
                if (entry == null) {
                    entry = fresh;
                    loaded.put(key, fresh);
                    while (loaded.size() > capacity) {
                        var eldest = loaded.entrySet().iterator().next();
                        loaded.remove(eldest.getKey());
                        eldest.getValue().closeWhenIdle();
                    }
                } else {
                    fresh.scorer.close();   // another request loaded it meanwhile
                }
                entry.lock.readLock().lock();
            }
        }
        try {
            return use.apply(entry.scorer);
        } finally {
            entry.lock.readLock().unlock();
        }
    }

    @PreDestroy
    void close() {
        synchronized (loaded) {
            loaded.values().forEach(e -> e.scorer.close());
            loaded.clear();
        }
    }
}
