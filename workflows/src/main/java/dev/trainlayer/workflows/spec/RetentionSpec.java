package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How much of a model's past {@code POST /api/v1/admin/gc} keeps reproducible: the newest {@code keepVersions} versions
 * (absent: the server's {@code trainlayer.retention.keep-versions}), with every version that was ever champion and the
 * versions their lineage continued from always kept. Read from the spec of the model's newest version.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetentionSpec(Integer keepVersions) {}
