package dev.trainlayer.api;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.DataAccess;
import dev.trainlayer.workflows.spec.InvalidSpecException;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.Violation;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API's side of {@link DataAccess}: a spec whose {@code data.uri} its project may not read is a 400 naming
 * {@code data.uri} before any run starts. Prefixes come from {@code trainlayer.projects.<p>.data-prefixes}; the
 * worker reads the same setting and checks again when it snapshots.
 */
@Singleton
public class DataAccessGuard {
    private final DataAccess access;

    public DataAccessGuard(ObjectStore store, Environment environment) {
        this.access = DataAccess.of(store.bucket(), dataPrefixes(environment));
    }

    /** {@code trainlayer.projects.<p>.data-prefixes} for every project that has some. */
    public static Map<String, List<String>> dataPrefixes(Environment environment) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String project : environment.getPropertyEntries("trainlayer.projects")) {
            out.put(project, environment.getProperty("trainlayer.projects." + project + ".data-prefixes",
                    Argument.listOf(String.class)).orElse(List.of()));
        }
        return out;
    }

    /** A 400 naming {@code field} when the project may not read {@code uri}. */
    public void check(String project, String field, String uri) {
        access.refusal(project, uri).ifPresent(why -> {
            throw ApiException.badRequest(field, why);
        });
    }

    public void check(String project, PipelineSpec spec) {
        if (spec.data() == null || spec.data().uri() == null) {
            return;
        }
        access.refusal(project, spec.data().uri()).ifPresent(why -> {
            throw new InvalidSpecException(List.of(new Violation("data.uri", why)));
        });
    }
}
