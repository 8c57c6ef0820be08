package dev.trainlayer.workflows.workflow;

/** One gate's verdict, e.g. {@code min.accuracy} passed: "0.965 >= 0.9". */
public record GateResult(String gate, boolean passed, String detail) {}
