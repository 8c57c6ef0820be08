package dev.trainlayer.store;

/**
 * An object read back does not have the sha256 recorded when it was written: it was changed or damaged in
 * the store. Not transient: workers turn it into the non-retryable {@code ARTIFACT_CORRUPT} failure.
 */
public class ArtifactCorruptException extends RuntimeException {
    private final String uri;

    public ArtifactCorruptException(String uri, String expected, String actual) {
        super(uri + " is corrupt: its sha256 is " + actual + " but " + expected + " was recorded when it was written; "
                + "restore it from a backup (bucket versioning) or retrain");
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }
}
