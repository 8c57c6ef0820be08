/** Metrics and the evaluation activity that scores challenger and champion on the same test rows. */
package dev.trainlayer.activities.evaluation;
