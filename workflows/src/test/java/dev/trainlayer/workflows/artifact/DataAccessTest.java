package dev.trainlayer.workflows.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataAccessTest {
    final DataAccess access = DataAccess.of("trainlayer", Map.of(
            "team-a", List.of("s3://raw-data/team-a/", "shared/reference/")));

    @Test
    void aProjectReadsItsOwnUploadsAndItsConfiguredPrefixes() {
        assertEquals(Optional.empty(), access.refusal("team-a", "s3://trainlayer/uploads/team-a/churn/abc.csv"));
        assertEquals(Optional.empty(), access.refusal("team-a", "s3://trainlayer/uploads/team-a/churn/"));
        assertEquals(Optional.empty(), access.refusal("team-a", "s3://raw-data/team-a/2026/11/part-1.csv"));
        assertEquals(Optional.empty(), access.refusal("team-a", "s3://trainlayer/shared/reference/zip.csv"));
    }

    @Test
    void neverTheStoresOwnObjectsNorAnotherProjectsUploads() {
        for (String uri : List.of("s3://trainlayer/models/churn/versions/1/model.json", "s3://trainlayer/runs/r1/spec.json",
                "s3://trainlayer/datasets/churn/abc/data.csv", "s3://trainlayer/pipelines/churn/runs/",
                "s3://trainlayer/uploads/team-b/churn/abc.csv", "s3://trainlayer/uploads/team-ab/x.csv",
                "s3://trainlayer/uploads/", "s3://trainlayer/feedback/churn/part-1.csv")) {
            assertTrue(access.refusal("team-a", uri).isPresent(), uri);
        }
        assertTrue(access.refusal("team-a", "s3://trainlayer/models/x").orElseThrow().contains("models/"));
        assertTrue(access.refusal("team-b", "s3://raw-data/team-a/x.csv").orElseThrow().contains("may read s3://trainlayer/uploads/team-b/"));
    }

    @Test
    void pathTricksAreRefused() {
        for (String uri : List.of("s3://trainlayer/uploads/team-a/../team-b/x.csv", "s3://trainlayer/uploads/team-a/./x.csv",
                "s3://trainlayer//models/x", "s3://raw-data/team-a/../secret/x.csv", "s3://trainlayer/uploads/team-a\\..\\x")) {
            assertTrue(access.refusal("team-a", uri).isPresent(), uri);
        }
        assertTrue(access.refusal("team-a", "not a uri").isPresent());
        assertTrue(access.refusal("team-a", null).isPresent());
    }

    @Test
    void configuredPrefixesCannotReachIntoTheStore() {
        for (String prefix : List.of("models/", "s3://trainlayer/runs/x/", "d", "", "s3://trainlayer/")) {
            assertThrows(IllegalArgumentException.class, () -> DataAccess.of("trainlayer", Map.of("p", List.of(prefix.isEmpty() ? "s3://trainlayer/" : prefix))), prefix);
        }
        assertEquals(List.of("s3://trainlayer/data/"), DataAccess.of("trainlayer", Map.of("p", List.of("data/"))).prefixes("p"));
    }
}
