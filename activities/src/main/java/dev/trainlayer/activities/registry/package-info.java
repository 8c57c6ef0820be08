/** The registry's side effects: reaching registry workflows, publishing versions and mirroring to the store. */
package dev.trainlayer.activities.registry;
