package dev.trainlayer.workflows.artifact;

/**
 * A pointer to one immutable object in the store. This — never the bytes — is what crosses Temporal.
 *
 * @param sha256 hex digest of the object's content, or null where it is not tracked
 * @param size   bytes, or -1 when unknown
 */
public record ArtifactRef(String bucket, String key, String sha256, long size) {

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }

    public ArtifactRef withKey(String otherKey) {
        return new ArtifactRef(bucket, otherKey, null, -1);
    }
}
