package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose file and the Kubernetes manifests in infra/deploy pass infra/scripts/check-deploy.sh (the
 * Compose Specification's loader; Kubernetes 1.37 schemas, strict), and the check catches broken ones.
 */
class DeploymentFilesIT {
    @TempDir
    Path dir;

    record Result(int exit, String output) {}

    static Result check(String... args) throws Exception {
        Path root = RealServers.repoRoot();
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("infra/scripts/check-deploy.sh").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Result(p.waitFor(), out);
    }

    @Test
    void theShippedDeploymentFilesAreValid() throws Exception {
        Result r = check();
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("6 manifest file(s) valid"), r.output());
    }

    @Test
    void aComposeFilePublishingTemporalOnEveryInterfaceIsRefused() throws Exception {
        Path deploy = RealServers.repoRoot().resolve("infra/deploy");
        Path compose = dir.resolve("compose.yaml");
        String text = Files.readString(deploy.resolve("compose.yaml"));
        assertTrue(text.contains("\"127.0.0.1:7233:7233\""), "the shipped file keeps Temporal on loopback");
        Files.writeString(compose, text.replace("\"127.0.0.1:7233:7233\"", "\"7233:7233\""));
        Files.copy(deploy.resolve(".env.example"), dir.resolve(".env.example"));
        Result open = check(compose.toString());
        assertNotEquals(0, open.exit(), "Temporal's frontend on every interface: " + open.output());
        assertTrue(open.output().contains("service temporal publishes port 7233 on every interface"), open.output());
    }

    @Test
    void brokenFilesAreCaught() throws Exception {
        Path deploy = RealServers.repoRoot().resolve("infra/deploy");
        Path compose = dir.resolve("compose.yaml");
        Files.writeString(compose, Files.readString(deploy.resolve("compose.yaml"))
                .replace("      postgresql:\n        condition: service_healthy", "      postgres:\n        condition: service_healthy"));
        Files.copy(deploy.resolve(".env.example"), dir.resolve(".env.example"));
        Result badCompose = check(compose.toString());
        assertNotEquals(0, badCompose.exit(), "a dependency on an unknown service: " + badCompose.output());

        Path manifest = dir.resolve("worker.yaml");
        Files.writeString(manifest, Files.readString(deploy.resolve("k8s/worker.yaml")).replace("replicas: 2", "replicas: two"));
        Result badManifest = check(deploy.resolve("compose.yaml").toString(), manifest.toString());
        assertNotEquals(0, badManifest.exit(), "replicas must be a number: " + badManifest.output());
        assertTrue(badManifest.output().contains("replicas"), badManifest.output());
    }
}
