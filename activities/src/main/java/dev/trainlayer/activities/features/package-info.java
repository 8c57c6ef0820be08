/**
 * The feature pipeline: seeded splits, transforms fitted on training rows only, and the encoded matrix
 * format. Pure computation; persisted by the data activities and reused at evaluation and serving time.
 */
package dev.trainlayer.activities.features;
