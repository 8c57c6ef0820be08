/** Serving work that runs in workers: batch scoring of whole CSV objects through {@link dev.trainlayer.scoring.Scorer}. */
package dev.trainlayer.activities.serving;
