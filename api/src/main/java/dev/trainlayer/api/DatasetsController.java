package dev.trainlayer.api;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Upload a CSV into the store; the answer's {@code uri} is usable as a spec's {@code data.uri}. */
@Controller("/api/v1/datasets")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DatasetsController {
    private final ObjectStore store;

    public DatasetsController(ObjectStore store) {
        this.store = store;
    }

    /** Streams the body to a temporary file (hashing it), then stores it under {@code uploads/{name}/{sha256}.csv}. */
    @Put(value = "/{name}", consumes = {"text/csv", MediaType.APPLICATION_OCTET_STREAM, MediaType.TEXT_PLAIN})
    public HttpResponse<Map<String, Object>> upload(@PathVariable String name, @Body InputStream body) throws IOException {
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw ApiException.badRequest("name", "'" + name + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
        }
        Path tmp = Files.createTempFile("trainlayer-upload-", ".csv");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long bytes;
            try (InputStream in = body; OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
                bytes = in.transferTo(out);
            }
            if (bytes == 0) {
                throw ApiException.badRequest("body", "the upload is empty; send the CSV file as the request body");
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            ArtifactRef ref = store.putFile(Keys.upload(name, sha256), tmp, sha256, "text/csv");
            return HttpResponse.created(Map.<String, Object>of("uri", ref.uri(), "sha256", sha256, "bytes", bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
