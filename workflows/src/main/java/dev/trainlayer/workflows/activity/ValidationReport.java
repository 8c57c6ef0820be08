package dev.trainlayer.workflows.activity;

import java.util.List;

/** What validation found that does not stop the run, and the label classes (empty for regression). */
public record ValidationReport(List<String> warnings, List<String> classes, long rows) {
    public ValidationReport {
        warnings = List.copyOf(warnings);
        classes = List.copyOf(classes);
    }
}
