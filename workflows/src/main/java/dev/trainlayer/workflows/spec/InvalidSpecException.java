package dev.trainlayer.workflows.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that cannot be parsed or breaks a rule; carries every violation found, not just the first. */
public class InvalidSpecException extends RuntimeException {
    private final List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
