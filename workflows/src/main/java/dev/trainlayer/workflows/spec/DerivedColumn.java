package dev.trainlayer.workflows.spec;

/**
 * A column computed from others before any other transform, e.g. {@code bmi = weight / (height * height)}.
 * Expressions support {@code + - * / ^}, parentheses, numbers, column names and the functions
 * {@code log, log1p, exp, sqrt, abs, min, max}. A result that is not finite counts as missing.
 */
public record DerivedColumn(String name, String expression) {}
