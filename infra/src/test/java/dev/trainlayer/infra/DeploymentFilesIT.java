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
        assertTrue(r.output().contains("observability: prometheus (2 scrape job(s)) and grafana (1 dashboard(s)) valid"), r.output());
    }

    /** The deploy folder copied where a test may break it. */
    Path copyOfDeploy() throws Exception {
        Path deploy = RealServers.repoRoot().resolve("infra/deploy");
        Path copy = dir.resolve("deploy");
        try (var files = Files.walk(deploy)) {
            for (Path f : files.filter(p -> !p.toString().contains("/k8s")).toList()) {
                Path to = copy.resolve(deploy.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return copy;
    }

    @Test
    void aBrokenDashboardOrScrapeConfigIsCaught() throws Exception {
        Path copy = copyOfDeploy();
        Path dashboard = copy.resolve("grafana/dashboards/trainlayer.json");
        String good = Files.readString(dashboard);
        Files.writeString(dashboard, good.replaceFirst("sum by \\(pipeline\\) \\(increase", "sum by (pipeline) (increase(")
                .replace("\"uid\": \"trainlayer-prometheus\"", "\"uid\": \"nowhere\""));
        Result bad = check(copy.resolve("compose.yaml").toString());
        assertNotEquals(0, bad.exit(), bad.output());
        assertTrue(bad.output().contains("brackets do not balance"), bad.output());
        assertTrue(bad.output().contains("data source 'nowhere' is not provisioned"), bad.output());

        Files.writeString(dashboard, good);
        Path scrape = copy.resolve("prometheus/prometheus.yml");
        Files.writeString(scrape, Files.readString(scrape).replace("\"api:8080\"", "\"apiserver:8080\""));
        Result badScrape = check(copy.resolve("compose.yaml").toString());
        assertNotEquals(0, badScrape.exit(), badScrape.output());
        assertTrue(badScrape.output().contains("scrapes apiserver, which is not a service"), badScrape.output());
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
