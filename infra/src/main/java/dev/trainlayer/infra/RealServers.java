package dev.trainlayer.infra;

import dev.trainlayer.workflows.client.TemporalConnection;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Temporal server (the Temporal CLI's dev server: SQLite persistence, web UI, Schedules, visibility
 * queries) and a real MinIO server, as child processes on loopback, each with its data directory under
 * {@code home}. The binaries come from {@code infra/scripts/build-servers.sh}, which builds them from their
 * Go modules the first time. Each server can be stopped and started again on the same data (durability
 * tests restart them mid-run).
 */
public final class RealServers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealServers.class);
    /** Dev-only MinIO root credentials; real deployments take theirs from the environment. */
    public static final String ACCESS_KEY = DevStack.DEV_ACCESS_KEY;
    public static final String SECRET_KEY = DevStack.DEV_SECRET_KEY;

    public record Ports(int temporal, int temporalUi, int temporalHttp, int temporalMetrics, int s3, int s3Console) {
        public static Ports defaults() {
            return new Ports(7233, 8233, 7243, 7235, 9000, 9001);
        }

        public static Ports ephemeral() {
            return new Ports(DevStack.freePort(), DevStack.freePort(), DevStack.freePort(), DevStack.freePort(),
                    DevStack.freePort(), DevStack.freePort());
        }
    }

    public record Binaries(Path temporal, Path minio) {
        /** Runs the build script (a no-op once built) and reads the paths it prints. */
        public static Binaries build() throws IOException, InterruptedException {
            Path script = repoRoot().resolve("infra/scripts/build-servers.sh");
            Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "); see its output above");
            }
            Path temporal = null;
            Path minio = null;
            for (String line : out.split("\n")) {
                if (line.startsWith("temporal=")) {
                    temporal = Path.of(line.substring("temporal=".length()));
                } else if (line.startsWith("minio=")) {
                    minio = Path.of(line.substring("minio=".length()));
                }
            }
            if (temporal == null || minio == null) {
                throw new IllegalStateException(script + " printed no binary paths: " + out);
            }
            return new Binaries(temporal, minio);
        }
    }

    private static final ServerOrphans ORPHANS = ServerOrphans.standard();

    private final Path home;
    private final Ports ports;
    private final Binaries binaries;
    private Process temporal;
    private Process minio;

    private RealServers(Path home, Ports ports, Binaries binaries) {
        this.home = home;
        this.ports = ports;
        this.binaries = binaries;
    }

    public static RealServers start(Path home, Ports ports) throws Exception {
        ORPHANS.sweep();
        RealServers servers = new RealServers(home, ports, Binaries.build());
        try {
            servers.startMinio();
            servers.startTemporal();
            return servers;
        } catch (Exception | Error e) {
            servers.close();
            throw e;
        }
    }

    /**
     * Starts on free ports, trying fresh ones when a server exits at start: a port found free can be taken
     * by another process before the server binds it.
     */
    public static RealServers startOnFreePorts(Path home) throws Exception {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return start(home, Ports.ephemeral());
            } catch (IllegalStateException e) {
                last = e;
                log.warn("real servers did not start (attempt {}): {}", attempt, e.getMessage());
            }
        }
        throw last;
    }

    public String temporalTarget() {
        return "127.0.0.1:" + ports.temporal();
    }

    public String temporalUi() {
        return "http://127.0.0.1:" + ports.temporalUi();
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + ports.s3();
    }

    public Ports ports() {
        return ports;
    }

    /** The server binaries; {@code temporal} is also the Temporal CLI a person would use against this server. */
    public Binaries binaries() {
        return binaries;
    }

    /** Starts the Temporal dev server on its SQLite file (created the first time) and waits until it answers. */
    public synchronized void startTemporal() throws Exception {
        Path data = Files.createDirectories(home.resolve("temporal"));
        List<String> command = new ArrayList<>(List.of(binaries.temporal().toString(), "server", "start-dev",
                "--ip", "127.0.0.1", "--port", String.valueOf(ports.temporal()),
                "--ui-port", String.valueOf(ports.temporalUi()),
                "--http-port", String.valueOf(ports.temporalHttp()),
                "--metrics-port", String.valueOf(ports.temporalMetrics()),
                "--db-filename", data.resolve("temporal.db").toString(),
                "--namespace", "default", "--log-level", "warn"));
        temporal = launch("temporal", command, Map.of());
        waitFor("Temporal at " + temporalTarget(), Duration.ofSeconds(90), this::temporalAnswers);
        log.info("Temporal dev server up at {} (web UI {})", temporalTarget(), temporalUi());
    }

    /** Starts MinIO on its data directory and waits until its liveness probe answers. */
    public synchronized void startMinio() throws Exception {
        Path data = Files.createDirectories(home.resolve("minio"));
        minio = launch("minio", List.of(binaries.minio().toString(), "server", data.toString(),
                "--address", "127.0.0.1:" + ports.s3(), "--console-address", "127.0.0.1:" + ports.s3Console()),
                Map.of("MINIO_ROOT_USER", ACCESS_KEY, "MINIO_ROOT_PASSWORD", SECRET_KEY, "MINIO_BROWSER", "off",
                        "MINIO_UPDATE", "off"));
        waitFor("MinIO at " + s3Endpoint(), Duration.ofSeconds(60), this::minioAnswers);
        log.info("MinIO up at {}", s3Endpoint());
    }

    /** Stops Temporal (SIGTERM, then SIGKILL after 10 s); its SQLite file stays. */
    public synchronized void stopTemporal() throws InterruptedException {
        stop(temporal);
        temporal = null;
    }

    public synchronized void stopMinio() throws InterruptedException {
        stop(minio);
        minio = null;
    }

    /** The servers' process ids (Temporal's, MinIO's), e.g. to check what they listen on. */
    public List<Long> pids() {
        return java.util.stream.Stream.of(temporal, minio).filter(java.util.Objects::nonNull).map(Process::pid).toList();
    }

    private Process launch(String name, List<String> command, Map<String, String> env) throws IOException {
        Path logs = Files.createDirectories(home.resolve("logs"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        builder.environment().putAll(env);
        Process p = builder.start();
        // A JVM that exits without closing us must not leave servers behind holding the ports; one killed
        // outright runs no hook, so the next start stops what it left (ServerOrphans).
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, name + "-reaper"));
        ORPHANS.record(p);
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        ORPHANS.forget(p);
    }

    private boolean temporalAnswers() {
        if (temporal != null && !temporal.isAlive()) {
            throw new IllegalStateException("the Temporal dev server exited (" + temporal.exitValue() + "): "
                    + tail(home.resolve("logs/temporal.log")));
        }
        WorkflowServiceStubs stubs = null;
        try {
            stubs = TemporalConnection.stubs(temporalTarget());
            stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
                    .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
            return true;
        } catch (RuntimeException e) {
            return false;
        } finally {
            if (stubs != null) {
                stubs.shutdownNow();
            }
        }
    }

    private boolean minioAnswers() {
        if (minio != null && !minio.isAlive()) {
            throw new IllegalStateException("MinIO exited (" + minio.exitValue() + "): " + tail(home.resolve("logs/minio.log")));
        }
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(s3Endpoint() + "/minio/health/live")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void waitFor(String what, Duration timeout, java.util.function.BooleanSupplier ready) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not answer within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    /** The last lines of a server's log, for the error that says it stopped. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())) + " (" + log + ")";
        } catch (IOException e) {
            return "see " + log;
        }
    }

    /** The checkout's root: the nearest directory above the working directory that holds infra/scripts. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("infra/scripts/build-servers.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside a trainlayer checkout (infra/scripts/build-servers.sh not found)");
        }
        return dir;
    }

    @Override
    public void close() throws InterruptedException {
        stopTemporal();
        stopMinio();
    }
}
