package dev.trainlayer.workflows.spec;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human durations ({@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}) and ISO-8601 ({@code PT2H}). */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {}

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, e.g. 30m, 24h or PT2H");
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(value);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                d.toMillis();   // beyond what a clock can add: refused here, not where it is used
                return d;
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is too long a duration");
            }
        }
        try {
            Duration d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            d.toMillis();
            return d;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; use e.g. 30m, 24h, 7d or PT2H");
        }
    }
}
