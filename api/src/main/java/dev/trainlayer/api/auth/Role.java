package dev.trainlayer.api.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a key may do, each role including the ones before it: {@code viewer} reads everything of its project,
 * {@code trainer} also uploads datasets and starts, cancels and resets runs and schedules, {@code approver}
 * also approves, promotes and rolls back models, {@code admin} may do everything.
 */
public enum Role {
    VIEWER, TRAINER, APPROVER, ADMIN;

    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        return Arrays.stream(values()).filter(r -> r.wire().equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))).findFirst();
    }
}
