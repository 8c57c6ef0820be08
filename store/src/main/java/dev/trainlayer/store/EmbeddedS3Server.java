package dev.trainlayer.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 server over HTTP in this JVM: S3Proxy with a filesystem backend. Used by the embedded dev
 * stack and by tests; needs {@code org.gaul:s3proxy} on the class path (an optional dependency here).
 * Requests are signed (AWS v2 or v4) with the given credentials, as against any S3 endpoint.
 */
public final class EmbeddedS3Server implements AutoCloseable {
    private final S3Proxy proxy;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3Server(S3Proxy proxy, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts on {@code port} (0 picks a free one) with data under {@code baseDir}. */
    public static EmbeddedS3Server start(Path baseDir, int port, String accessKey, String secretKey) throws Exception {
        Files.createDirectories(baseDir);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(baseDir.toAbsolutePath().toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
            }
            Thread.sleep(10);
        }
        return new EmbeddedS3Server(proxy, accessKey, secretKey);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public StoreConfig config(String bucket) {
        return new StoreConfig(endpoint(), accessKey, secretKey, bucket, "us-east-1");
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
