package dev.trainlayer.store;

/**
 * How to reach the object store. Any S3-compatible endpoint works (MinIO, AWS S3, Ceph, SeaweedFS,
 * S3Proxy). Credentials come from configuration or the environment and are never logged: {@link #toString()}
 * masks them.
 */
public record StoreConfig(String endpoint, String accessKey, String secretKey, String bucket, String region) {

    public static final String DEFAULT_BUCKET = "trainlayer";

    public StoreConfig {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("store endpoint is required (trainlayer.store.endpoint / TRAINLAYER_STORE_ENDPOINT)");
        }
        bucket = bucket == null || bucket.isBlank() ? DEFAULT_BUCKET : bucket;
        region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    @Override
    public String toString() {
        return "StoreConfig[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", accessKey=***, secretKey=***]";
    }
}
