package dev.trainlayer.activities;

import io.temporal.failure.ApplicationFailure;

/** Non-retryable failures with a stable type and a message a user can act on. */
public final class Failures {
    private Failures() {}

    public static ApplicationFailure nonRetryable(String type, String message) {
        return ApplicationFailure.newNonRetryableFailure(message, type);
    }
}
