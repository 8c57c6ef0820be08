/**
 * The pipeline spec: immutable records parsed from JSON or YAML, defaults, and the validator's named
 * rules. Pure Java and Jackson: used by the API (400 answers) and inside workflows, so no I/O here.
 */
package dev.trainlayer.workflows.spec;
