package dev.trainlayer.activities;

import dev.trainlayer.store.EmbeddedS3Server;
import dev.trainlayer.store.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real S3 server over HTTP (S3Proxy, filesystem backend) for activity tests, with the demo data uploaded. */
public final class StoreFixture implements AutoCloseable {
    public static final Path BREAST_CANCER = Path.of("..", "examples", "data", "breast_cancer.csv");
    public static final String SOURCE_BUCKET = "incoming";

    public final EmbeddedS3Server server;
    public final ObjectStore store;

    public StoreFixture(Path dir) throws Exception {
        server = EmbeddedS3Server.start(dir, 0, "test-access", "test-secret-key");
        store = new ObjectStore(server.config("trainlayer"));
        store.ensureBucket("trainlayer");
        store.ensureBucket(SOURCE_BUCKET);
    }

    public String upload(String key, Path file) throws Exception {
        store.putBytes(SOURCE_BUCKET, key, Files.readAllBytes(file), "text/csv");
        return "s3://" + SOURCE_BUCKET + "/" + key;
    }

    public String upload(String key, String csv) {
        store.putBytes(SOURCE_BUCKET, key, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv");
        return "s3://" + SOURCE_BUCKET + "/" + key;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
