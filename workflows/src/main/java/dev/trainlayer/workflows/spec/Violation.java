package dev.trainlayer.workflows.spec;

/** One thing wrong with a spec: the field path (e.g. {@code split.test}) and what to do about it. */
public record Violation(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
