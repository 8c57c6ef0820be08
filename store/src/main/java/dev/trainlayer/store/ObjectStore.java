package dev.trainlayer.store;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The object store, over the MinIO client. Every write is a single PUT of a complete object, so a
 * crashed writer leaves either the whole object or nothing; callers pick deterministic keys so that a
 * retry overwrites the same object with the same bytes.
 */
public final class ObjectStore {
    /** Multipart part size for streamed uploads of unknown length. */
    private static final long PART_SIZE = 16L * 1024 * 1024;
    /**
     * The checksum each upload carries for the server to check. The client's default, CRC32C, is computed byte by
     * byte in Java (a tenth of a large snapshot's CPU time); CRC32 is the JDK's intrinsic and checks transit as well.
     * Content identity is the sha256 every reference records, not this.
     */
    private static final Checksum.Algorithm UPLOAD_CHECKSUM = Checksum.Algorithm.CRC32;

    private final MinioClient client;
    private final String bucket;

    public ObjectStore(StoreConfig config) {
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
        this.bucket = config.bucket();
    }

    /** A store whose bucket exists: what workers and the API start with. */
    public static ObjectStore open(StoreConfig config) {
        ObjectStore store = new ObjectStore(config);
        store.ensureBucket(store.bucket());
        return store;
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket when it does not exist. Safe to call concurrently and repeatedly. */
    public void ensureBucket(String name) {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(name).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(name).build());
            }
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw new StoreException("cannot create bucket " + name + ": " + code, e);
            }
        } catch (Exception e) {
            throw new StoreException("cannot reach the store to create bucket " + name + ": " + e.getMessage(), e);
        }
    }

    public ArtifactRef putBytes(String key, byte[] bytes, String contentType) {
        return putBytes(bucket, key, bytes, contentType);
    }

    public ArtifactRef putBytes(String targetBucket, String key, byte[] bytes, String contentType) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(targetBucket).object(key)
                    .data(bytes, bytes.length)
                    .contentType(contentType).checksum(UPLOAD_CHECKSUM).build());
            return new ArtifactRef(targetBucket, key, sha256(bytes), bytes.length);
        } catch (Exception e) {
            throw new StoreException("cannot write s3://" + targetBucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    public ArtifactRef putString(String key, String text, String contentType) {
        return putBytes(key, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType);
    }

    /** Uploads a local file (streamed; multipart above the part size). */
    public ArtifactRef putFile(String key, Path file, String sha256, String contentType) {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(in, size, size > PART_SIZE ? PART_SIZE : null).contentType(contentType).checksum(UPLOAD_CHECKSUM)
                    .build());
            return new ArtifactRef(bucket, key, sha256, size);
        } catch (Exception e) {
            throw new StoreException("cannot write s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * The object a reference names, checked against the sha256 the reference recorded when it was written
     * (when it recorded one): a mismatch is an {@link ArtifactCorruptException} naming the key.
     */
    public byte[] getBytes(ArtifactRef ref) {
        byte[] bytes = getBytes(ref.bucket(), ref.key());
        verify(ref, sha256(bytes));
        return bytes;
    }

    /** Throws {@link ArtifactCorruptException} when {@code actual} is not the digest {@code ref} recorded. */
    public static void verify(ArtifactRef ref, String actual) {
        if (ref.sha256() != null && !ref.sha256().equalsIgnoreCase(actual)) {
            throw new ArtifactCorruptException(ref.uri(), ref.sha256(), actual);
        }
    }

    /**
     * Streams the object a reference names; once the stream has been read to its end, its sha256 is checked
     * against the reference's (an {@link ArtifactCorruptException} from {@code read} when it differs), so a
     * reader that consumes the whole stream never acts on a changed object without noticing.
     */
    public InputStream open(ArtifactRef ref) {
        InputStream raw = open(ref.bucket(), ref.key());
        if (ref.sha256() == null) {
            return raw;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new DigestInputStream(raw, digest) {
            private boolean checked;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    check();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n < 0) {
                    check();
                }
                return n;
            }

            private void check() {
                if (!checked) {
                    checked = true;
                    verify(ref, HexFormat.of().formatHex(getMessageDigest().digest()));
                }
            }
        };
    }

    public byte[] getBytes(String sourceBucket, String key) {
        try (InputStream in = open(sourceBucket, key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StoreException("cannot read s3://" + sourceBucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    public String getString(String key) {
        return new String(getBytes(bucket, key), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Opens an object for streaming. Throws {@link ObjectNotFoundException} when it does not exist. */
    public InputStream open(String sourceBucket, String key) {
        return open(sourceBucket, key, null);
    }

    /**
     * Opens an object for streaming, only as long as its ETag is {@code matchETag} (when not null): a changed object
     * is a {@link StoreException} (transient: a retry reads the new one from the start), never a mix of two versions.
     */
    public InputStream open(String sourceBucket, String key, String matchETag) {
        try {
            GetObjectArgs.Builder get = GetObjectArgs.builder().bucket(sourceBucket).object(key);
            if (matchETag != null) {
                get.matchETag(quoted(matchETag));
            }
            return client.getObject(get.build());
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                throw new ObjectNotFoundException(sourceBucket, key);
            }
            throw new StoreException("cannot read s3://" + sourceBucket + "/" + key + ": " + e.errorResponse().code(), e);
        } catch (Exception e) {
            throw new StoreException("cannot read s3://" + sourceBucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** Downloads an object to a local file and returns its sha256. */
    public String download(String sourceBucket, String key, Path target) {
        try (InputStream raw = open(sourceBucket, key);
             DigestInputStream in = new DigestInputStream(raw, MessageDigest.getInstance("SHA-256"))) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new StoreException("cannot download s3://" + sourceBucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String key) {
        return size(bucket, key).isPresent();
    }

    /** Removes an object of this store's bucket; removing one that is not there is not an error (S3 semantics). */
    public void delete(String key) {
        try {
            client.removeObject(io.minio.RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw new StoreException("cannot delete s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes objects of this store's bucket, a thousand per request (S3's multi-object delete); missing ones are not an
     * error. Throws naming the first key the store refused.
     */
    public void deleteAll(java.util.Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += 1000) {
            List<io.minio.messages.DeleteRequest.Object> batch = all.subList(from, Math.min(all.size(), from + 1000)).stream()
                    .map(io.minio.messages.DeleteRequest.Object::new).toList();
            try {
                for (Result<io.minio.messages.DeleteResult.Error> r : client.removeObjects(
                        io.minio.RemoveObjectsArgs.builder().bucket(bucket).objects(batch).build())) {
                    io.minio.messages.DeleteResult.Error error = r.get();
                    throw new StoreException("cannot delete s3://" + bucket + "/" + error.objectName() + ": " + error.code() + " "
                            + error.message(), null);
                }
            } catch (StoreException e) {
                throw e;
            } catch (Exception e) {
                throw new StoreException("cannot delete objects of s3://" + bucket + ": " + e.getMessage(), e);
            }
        }
    }

    public Optional<Long> size(String sourceBucket, String key) {
        return stat(sourceBucket, key).map(Stat::size);
    }

    /** An object's size and ETag (the store's version tag: it changes whenever the object is written). */
    public record Stat(long size, String etag) {}

    public Optional<Stat> stat(String sourceBucket, String key) {
        try {
            var stat = client.statObject(StatObjectArgs.builder().bucket(sourceBucket).object(key).build());
            return Optional.of(new Stat(stat.size(), stat.etag()));
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw new StoreException("cannot stat s3://" + sourceBucket + "/" + key + ": " + e.errorResponse().code(), e);
        } catch (Exception e) {
            throw new StoreException("cannot stat s3://" + sourceBucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** Keys under a prefix, recursively, in lexicographic order. A missing bucket lists as empty. */
    public List<String> list(String sourceBucket, String prefix) {
        List<String> keys = new ArrayList<>(listed(sourceBucket, prefix).stream().map(Listed::key).toList());
        keys.sort(null);
        return keys;
    }

    /** A key, when its object was last written and its size, as a listing reports them. */
    public record Listed(String key, java.time.Instant lastModified, long size) {}

    /** The objects under a prefix of this store's bucket with their sizes and times, in key order (from the listing alone). */
    public List<Listed> listDetailed(String prefix) {
        List<Listed> entries = new ArrayList<>(listed(bucket, prefix));
        entries.sort(java.util.Comparator.comparing(Listed::key));
        return entries;
    }

    /** The objects under a prefix of this store's bucket, newest first (from the listing alone: no object is read). */
    public List<Listed> listNewestFirst(String prefix) {
        List<Listed> entries = new ArrayList<>(listed(bucket, prefix));
        entries.sort(java.util.Comparator.comparing(Listed::lastModified).reversed().thenComparing(Listed::key));
        return entries;
    }

    private List<Listed> listed(String sourceBucket, String prefix) {
        List<Listed> keys = new ArrayList<>();
        try {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(sourceBucket).prefix(prefix).recursive(true).build())) {
                Item item = r.get();
                if (!item.isDir()) {
                    keys.add(new Listed(item.objectName(), item.lastModified() == null ? java.time.Instant.EPOCH
                            : item.lastModified().toInstant(), item.size()));
                }
            }
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return List.of();
            }
            throw new StoreException("cannot list s3://" + sourceBucket + "/" + prefix + ": " + e.errorResponse().code(), e);
        } catch (Exception e) {
            throw new StoreException("cannot list s3://" + sourceBucket + "/" + prefix + ": " + e.getMessage(), e);
        }
        return keys;
    }

    public List<String> list(String prefix) {
        return list(bucket, prefix);
    }

    /** Server-side copy: the bytes never pass through this process. */
    public void copy(ArtifactRef source, String targetKey) {
        try {
            client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(targetKey)
                    .source(SourceObject.builder().bucket(source.bucket()).object(source.key()).build()).build());
        } catch (Exception e) {
            throw new StoreException("cannot copy " + source.uri() + " to s3://" + bucket + "/" + targetKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * Server-side copy of {@code sourceBucket/sourceKey} to {@code targetKey} in this store's bucket (the bytes never
     * pass through this process); returns the copy's ETag, without quotes. A store gives an object written whole the MD5
     * of its bytes as its ETag (S3 without KMS encryption, MinIO without encryption, S3Proxy), so a caller that knows
     * the MD5 of the bytes it means to copy can tell whether the copy holds them: the source may have changed since,
     * and not every store honours copy conditions.
     */
    public String copy(String sourceBucket, String sourceKey, String targetKey) {
        try {
            String etag = client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(targetKey)
                    .source(SourceObject.builder().bucket(sourceBucket).object(sourceKey).build()).build()).etag();
            return etag == null ? "" : etag.replace("\"", "");
        } catch (Exception e) {
            throw new StoreException("cannot copy s3://" + sourceBucket + "/" + sourceKey + " to s3://" + bucket + "/" + targetKey
                    + ": " + e.getMessage(), e);
        }
    }

    /** An ETag as If-Match headers carry it: in quotes (the client hands it out without them; some servers need them). */
    private static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NoSuchObject".equals(code)
                || (e.response() != null && e.response().code() == 404);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
