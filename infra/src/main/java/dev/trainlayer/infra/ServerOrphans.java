package dev.trainlayer.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server processes this machine's JVMs started, so that ones left behind are stopped. Shutdown hooks stop
 * the servers when a JVM exits normally; a JVM killed with SIGKILL (a CI timeout, an out-of-memory kill)
 * runs none, and its Temporal and MinIO go on holding ports and memory. Each launch records
 * {@code <server pid>.server} = its owner JVM's pid and the server's executable; the next start stops every
 * recorded server whose owner is gone and whose pid still runs that executable (so a reused pid is never hit).
 */
final class ServerOrphans {
    private static final Logger log = LoggerFactory.getLogger(ServerOrphans.class);
    private static final String SUFFIX = ".server";

    private final Path dir;

    ServerOrphans(Path dir) {
        this.dir = dir;
    }

    /** {@code ${TRAINLAYER_CACHE:-~/.cache/trainlayer}/servers}, beside the binaries. */
    static ServerOrphans standard() {
        String cache = System.getenv("TRAINLAYER_CACHE");
        Path root = cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "trainlayer") : Path.of(cache);
        return new ServerOrphans(root.resolve("servers"));
    }

    void record(Process server) {
        try {
            Files.createDirectories(dir);
            String executable = server.info().command().orElse("");
            Files.writeString(dir.resolve(server.pid() + SUFFIX), ProcessHandle.current().pid() + "\n" + executable + "\n");
        } catch (IOException e) {
            log.warn("cannot record server pid {} in {}: {}", server.pid(), dir, e.getMessage());
        }
    }

    void forget(Process server) {
        try {
            Files.deleteIfExists(dir.resolve(server.pid() + SUFFIX));
        } catch (IOException e) {
            log.debug("cannot remove the record of pid {}: {}", server.pid(), e.getMessage());
        }
    }

    /** Stops the servers whose JVM is gone; returns their pids. */
    List<Long> sweep() {
        List<Long> stopped = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return stopped;
        }
        List<Path> records;
        try (Stream<Path> files = Files.list(dir)) {
            records = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList();
        } catch (IOException e) {
            log.warn("cannot read {}: {}", dir, e.getMessage());
            return stopped;
        }
        for (Path record : records) {
            try {
                String name = record.getFileName().toString();
                long pid = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                List<String> lines = Files.readAllLines(record);
                long owner = Long.parseLong(lines.get(0).trim());
                String executable = lines.size() > 1 ? lines.get(1).trim() : "";
                if (alive(owner)) {
                    continue;
                }
                Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
                if (server.isPresent() && !executable.isEmpty() && executable.equals(server.get().info().command().orElse(null))) {
                    log.warn("stopping {} (pid {}), left running by JVM {} that ended without stopping it", executable, pid, owner);
                    server.get().destroyForcibly();
                    server.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                    stopped.add(pid);
                }
                Files.deleteIfExists(record);
            } catch (Exception e) {
                log.warn("cannot check {}: {}", record, e.getMessage());
            }
        }
        return stopped;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
