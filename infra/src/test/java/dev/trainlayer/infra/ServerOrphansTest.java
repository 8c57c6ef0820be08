package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers left behind by a JVM that was killed are stopped at the next start; others are left alone. */
class ServerOrphansTest {
    @TempDir
    Path dir;

    /** The pid of a process that has ended: an owner JVM killed with SIGKILL. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        return p.pid();
    }

    @Test
    void aServerWhoseOwnerIsGoneIsStoppedAndOneWithALiveOwnerIsNot() throws Exception {
        ServerOrphans orphans = new ServerOrphans(dir);
        Process orphan = new ProcessBuilder("sleep", "120").start();
        Process owned = new ProcessBuilder("sleep", "120").start();
        try {
            orphans.record(orphan);
            orphans.record(owned);
            // The orphan's owner: a JVM that is gone.
            Path record = dir.resolve(orphan.pid() + ".server");
            List<String> lines = Files.readAllLines(record);
            Files.writeString(record, deadPid() + "\n" + lines.get(1) + "\n");

            assertEquals(List.of(orphan.pid()), orphans.sweep());
            assertTrue(orphan.waitFor(10, TimeUnit.SECONDS), "the orphaned server was stopped");
            assertTrue(owned.isAlive(), "a server whose JVM still runs is left alone");
            assertFalse(Files.exists(record));
            assertTrue(Files.exists(dir.resolve(owned.pid() + ".server")));
            orphans.forget(owned);
            assertFalse(Files.exists(dir.resolve(owned.pid() + ".server")));
        } finally {
            orphan.destroyForcibly();
            owned.destroyForcibly();
        }
    }

    @Test
    void aReusedPidRunningSomethingElseIsNotKilled() throws Exception {
        ServerOrphans orphans = new ServerOrphans(dir);
        Process other = new ProcessBuilder("sleep", "120").start();
        try {
            Files.writeString(dir.resolve(other.pid() + ".server"), deadPid() + "\n/opt/minio/minio\n");
            assertEquals(List.of(), orphans.sweep());
            assertTrue(other.isAlive(), "the pid now runs another program");
            assertFalse(Files.exists(dir.resolve(other.pid() + ".server")), "the stale record is dropped");
        } finally {
            other.destroyForcibly();
        }
    }
}
