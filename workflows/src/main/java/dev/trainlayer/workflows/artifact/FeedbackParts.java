package dev.trainlayer.workflows.artifact;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of feedback parts: {@code {received}-{sha256 prefix}-{rows}.csv}, e.g. {@code 20261206T101500123Z-3fa2…-250.csv}.
 * The name alone says when a part arrived (so a run takes exactly the parts received before it started, on every retry)
 * and how many rows it holds (so a monitor counts new labels from a listing), and its content hash makes posting the
 * same rows twice a no-op. Pure functions of their inputs: workflow code may call them.
 */
public final class FeedbackParts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("(\\d{8}T\\d{9}Z)-([0-9a-f]{16})-(\\d+)\\.csv");
    private static final Pattern UNDER_PREFIX = Pattern.compile("\\d{4}-\\d{2}-\\d{2}/[^/]+");

    /** The column a late label's row carries its prediction id in (left out of the training data). */
    public static final String PREDICTION_ID = "_predictionId";

    private FeedbackParts() {}

    /** What a part's name says. */
    public record Part(String key, long receivedAtMillis, String contentSha256Prefix, long rows) {}

    public static String name(long receivedAtMillis, String contentSha256, long rows) {
        return TIME.format(Instant.ofEpochMilli(receivedAtMillis)) + "-" + contentSha256.substring(0, 16) + "-" + rows + ".csv";
    }

    public static String key(String pipeline, long receivedAtMillis, String contentSha256, long rows) {
        return Keys.feedbackPart(pipeline, DAY.format(Instant.ofEpochMilli(receivedAtMillis)),
                name(receivedAtMillis, contentSha256, rows));
    }

    /**
     * The part {@code key} names when it lies directly under {@code prefix} (a pipeline's {@link Keys#feedback}) in a
     * day folder: a key of another pipeline whose name starts the same (a project named like a legacy pipeline) is not.
     */
    public static Optional<Part> parse(String prefix, String key) {
        if (!key.startsWith(prefix) || !UNDER_PREFIX.matcher(key.substring(prefix.length())).matches()) {
            return Optional.empty();
        }
        return parse(key);
    }

    /** The part a key names, or empty for any other object under the feedback prefix. */
    public static Optional<Part> parse(String key) {
        Matcher m = NAME.matcher(key.substring(key.lastIndexOf('/') + 1));
        if (!m.matches()) {
            return Optional.empty();
        }
        long at = Instant.from(TIME.parse(m.group(1))).toEpochMilli();
        return Optional.of(new Part(key, at, m.group(2), Long.parseLong(m.group(3))));
    }
}
