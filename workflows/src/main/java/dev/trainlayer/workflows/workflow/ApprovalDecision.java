package dev.trainlayer.workflows.workflow;

/** A person's decision on a challenger waiting for approval. */
public record ApprovalDecision(boolean approved, String actor, String comment) {}
