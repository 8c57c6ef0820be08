package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;

/**
 * What happens to a challenger that passed its gates: {@code auto} makes it champion at once,
 * {@code approval} waits for {@code POST /runs/{id}/approve} and rejects it when {@code approvalTimeout}
 * (e.g. {@code 24h}, {@code 30m}, {@code PT2H}) passes first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromotionSpec(Mode mode, String approvalTimeout) {

    public static final String DEFAULT_APPROVAL_TIMEOUT = "72h";

    public enum Mode {
        AUTO, APPROVAL;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Mode parse(String value) {
            return Enums.parse(Mode.class, value);
        }
    }

    PromotionSpec withDefaults() {
        return new PromotionSpec(mode == null ? Mode.AUTO : mode,
                approvalTimeout == null ? DEFAULT_APPROVAL_TIMEOUT : approvalTimeout);
    }

    public Duration approvalTimeoutDuration() {
        return Durations.parse(approvalTimeout == null ? DEFAULT_APPROVAL_TIMEOUT : approvalTimeout);
    }
}
