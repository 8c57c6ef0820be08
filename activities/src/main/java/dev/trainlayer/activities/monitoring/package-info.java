/**
 * The statistics of the closed loop, pure and deterministic (Commons Math only): drift of live data against a
 * model's training data (PSI, two-sample Kolmogorov–Smirnov, chi-square) and paired challenger-vs-champion tests on
 * the same rows (McNemar, paired bootstrap). No I/O here: callers bring the values.
 */
package dev.trainlayer.activities.monitoring;
