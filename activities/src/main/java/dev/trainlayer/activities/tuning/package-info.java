/**
 * Hyperparameter search: search spaces, a Gaussian-process Bayesian optimizer (Matérn-5/2 ARD, log
 * expected improvement, Sobol initial design, constant-liar batches) and random search. Pure Java on
 * Commons Math, usable without Temporal, deterministic for a seed and a history. Must not import
 * Temporal, DJL, XGBoost or the store.
 */
package dev.trainlayer.activities.tuning;
