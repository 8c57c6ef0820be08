package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

/**
 * Data rules a run checks before training, each with what to do when it does not hold: {@code warn} (the run goes on;
 * the warning is on the run, its events and {@code data.warning} webhooks) or {@code fail} (the run fails with
 * {@code DATA_INVALID} naming the column).
 *
 * @param labelBalance classification: every class is at least {@code minShare} of the labels (default 0.05, warn)
 * @param drift        every column's PSI against the champion's training data is below {@code maxPsi} (default 0.25, warn)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationSpec(LabelBalance labelBalance, Drift drift) {
    public static final String WARN = "warn";
    public static final String FAIL = "fail";
    public static final ValidationSpec DEFAULTS = new ValidationSpec(null, null);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LabelBalance(Double minShare, String action) {
        public double minShareOrDefault() {
            return minShare == null ? 0.05 : minShare;
        }

        public boolean fails() {
            return FAIL.equalsIgnoreCase(action);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Drift(Double maxPsi, String action) {
        public double maxPsiOrDefault() {
            return maxPsi == null ? 0.25 : maxPsi;
        }

        public boolean fails() {
            return FAIL.equalsIgnoreCase(action);
        }
    }

    public LabelBalance labelBalanceOrDefault() {
        return labelBalance == null ? new LabelBalance(null, WARN) : labelBalance;
    }

    public Drift driftOrDefault() {
        return drift == null ? new Drift(null, WARN) : drift;
    }

    static boolean validAction(String action) {
        return action == null || WARN.equals(action.toLowerCase(Locale.ROOT)) || FAIL.equals(action.toLowerCase(Locale.ROOT));
    }
}
