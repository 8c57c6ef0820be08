package dev.trainlayer.store;

/**
 * How to reach the object store. Any S3-compatible endpoint works (MinIO, AWS S3, Ceph, SeaweedFS,
 * S3Proxy). Credentials come from configuration or the environment and are never logged: {@link #toString()}
 * masks them.
 */
public record StoreConfig(String endpoint, String accessKey, String secretKey, String bucket, String region) {

    public static final String DEFAULT_BUCKET = "trainlayer";
    /** The dev stack's built-in credentials: fine on loopback inside {@code ./trainlayer dev}, nowhere else. */
    public static final String DEV_ACCESS_KEY = "trainlayer";
    public static final String DEV_SECRET_KEY = "trainlayer-dev-secret";
    /** The property (env {@code TRAINLAYER_DEV_STACK}) that the dev stack sets for its own API and workers. */
    public static final String DEV_STACK = "trainlayer.dev-stack";

    public StoreConfig {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("store endpoint is required (trainlayer.store.endpoint / TRAINLAYER_STORE_ENDPOINT)");
        }
        bucket = bucket == null || bucket.isBlank() ? DEFAULT_BUCKET : bucket;
        region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    /**
     * Refuses the dev stack's built-in credentials and MinIO's factory default ({@code minioadmin}) outside the dev
     * stack: a worker or API deployed with them would share a password everyone can read in this repository.
     */
    public StoreConfig requireOwnCredentials(boolean devStack) {
        boolean builtIn = DEV_SECRET_KEY.equals(secretKey) || "minioadmin".equals(secretKey) || "minioadmin".equals(accessKey);
        if (builtIn && !devStack) {
            throw new IllegalStateException("trainlayer.store.access-key / secret-key (TRAINLAYER_STORE_ACCESS_KEY / TRAINLAYER_STORE_SECRET_KEY) "
                    + "are " + (DEV_SECRET_KEY.equals(secretKey) ? "the dev stack's built-in credentials" : "MinIO's default minioadmin")
                    + ": set the store's own credentials (and change MinIO's root password), or run inside ./trainlayer dev "
                    + "(TRAINLAYER_DEV_STACK=true only for a local server on loopback)");
        }
        return this;
    }

    @Override
    public String toString() {
        return "StoreConfig[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", accessKey=***, secretKey=***]";
    }
}
