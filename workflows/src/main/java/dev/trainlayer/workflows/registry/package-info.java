/** Records of the model registry: versions, lineage, commands and their outcomes, the audit trail. */
package dev.trainlayer.workflows.registry;
