package dev.trainlayer.api;

import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.registry.RegistryState;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry states for the predict route, kept for a moment: asking a model's registry workflow costs a Temporal query,
 * more than scoring a small request, and the champion moves rarely. A promote or rollback through this API process
 * forgets the model's entry at once; other API replicas see the move within {@code trainlayer.api.scoring.registry-cache}
 * (default 2s). Versions are immutable, so an explicit {@code ?version=N} missing from a kept state is looked up again.
 */
@Singleton
public class ServingRegistry {
    private record Kept(RegistryState state, long atNanos) {}

    private final ModelsController models;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Kept> kept = new ConcurrentHashMap<>();

    public ServingRegistry(ModelsController models, @Value("${trainlayer.api.scoring.registry-cache:2s}") Duration ttl) {
        this.models = models;
        this.ttlNanos = ttl.toNanos();
    }

    /** The model's registry state, at most the cache's age old. */
    public RegistryState state(String project, String model) {
        String key = Projects.qualify(project, model);
        Kept k = kept.get(key);
        long now = System.nanoTime();
        if (k != null && now - k.atNanos() < ttlNanos) {
            return k.state();
        }
        RegistryState fresh = models.state(project, model);
        if (ttlNanos > 0) {
            kept.put(key, new Kept(fresh, now));
        }
        return fresh;
    }

    /** The state as the registry has it now (after a miss on a kept one). */
    public RegistryState fresh(String project, String model) {
        kept.remove(Projects.qualify(project, model));
        return state(project, model);
    }

    /** Forgets a model's kept state: its champion just moved. */
    public void forget(String registry) {
        kept.remove(registry);
    }
}
