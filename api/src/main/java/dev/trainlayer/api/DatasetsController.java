package dev.trainlayer.api;

import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.artifact.Keys;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
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
    private final long maxBytes;

    public DatasetsController(ObjectStore store, @Value("${trainlayer.api.max-upload-size:5GB}") String maxUploadSize) {
        this.store = store;
        this.maxBytes = parseSize(maxUploadSize, "trainlayer.api.max-upload-size");
    }

    /**
     * Streams the body to a temporary file (hashing it, never holding it in memory), then stores it under
     * {@code uploads/{project}/{name}/{sha256}.csv}. A body larger than {@code trainlayer.api.max-upload-size}
     * is refused with 413: up front when it declares its length, as soon as it passes the limit otherwise.
     */
    @Put(value = "/{name}", consumes = {"text/csv", MediaType.APPLICATION_OCTET_STREAM, MediaType.TEXT_PLAIN})
    @Allowed(Role.TRAINER)
    public HttpResponse<Map<String, Object>> upload(@PathVariable String name, @Body InputStream body,
                                                    @Nullable @Header(HttpHeaders.CONTENT_LENGTH) Long declared,
                                                    @RequestAttribute(Caller.ATTRIBUTE) Caller caller) throws IOException {
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw ApiException.badRequest("name", "'" + name + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
        }
        if (declared != null && declared > maxBytes) {
            throw tooLarge();
        }
        Path tmp = Files.createTempFile("trainlayer-upload-", ".csv");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            try (InputStream in = body; OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    bytes += n;
                    if (bytes > maxBytes) {
                        throw tooLarge();
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (bytes == 0) {
                throw ApiException.badRequest("body", "the upload is empty; send the CSV file as the request body");
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            ArtifactRef ref = store.putFile(Keys.upload(caller.project(), name, sha256), tmp, sha256, "text/csv");
            return HttpResponse.created(Map.<String, Object>of("uri", ref.uri(), "sha256", sha256, "bytes", bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private ApiException tooLarge() {
        return new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too-large",
                "body: the upload is larger than " + maxBytes + " bytes (trainlayer.api.max-upload-size); split it into CSV parts "
                        + "under one name and use their prefix as data.uri, or raise the limit");
    }

    /** "5GB", "512MB", "10KB" or a number of bytes; units are powers of 1024. */
    static long parseSize(String text, String property) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT).replace("IB", "B");
        long unit = 1;
        for (String[] u : new String[][] {{"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"}, {"TB", "1099511627776"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalStateException(property + " '" + text + "' is not a size such as 5GB or 512MB");
        }
    }
}
