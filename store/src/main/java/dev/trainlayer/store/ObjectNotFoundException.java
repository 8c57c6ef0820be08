package dev.trainlayer.store;

/** The object (or its bucket) does not exist: not transient, so callers turn it into a user-facing failure. */
public class ObjectNotFoundException extends RuntimeException {
    public ObjectNotFoundException(String bucket, String key) {
        super("s3://" + bucket + "/" + key + " does not exist");
    }
}
