package dev.trainlayer.workflows.registry;

/** One registry event: who did what to which version, when (workflow time) and why. */
public record AuditEntry(long atMillis, String action, Integer version, Integer previousChampion, String actor, String reason) {}
