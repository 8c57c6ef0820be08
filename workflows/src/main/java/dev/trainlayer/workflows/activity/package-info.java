/**
 * Activity interfaces and their input/output records: references (object keys, sha256) and summaries,
 * never data. One input record per method so fields can be added compatibly.
 */
package dev.trainlayer.workflows.activity;
