/** Reading CSV sources, content-addressed snapshots, profiles and data validation. */
package dev.trainlayer.activities.data;
