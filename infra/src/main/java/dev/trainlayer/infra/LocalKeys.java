package dev.trainlayer.infra;

import dev.trainlayer.api.auth.ApiKeys;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.workflows.artifact.Projects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The keys of {@code ./trainlayer dev} and {@code demo}, which need no set-up: {@code TRAINLAYER_API_KEYS} when
 * it is set (the launcher's own client then uses its first trainer-or-higher key), otherwise one admin key of
 * project {@code default}, made on first start and kept, readable by its owner only, in
 * {@code .trainlayer/admin.key} so scripts and later starts use the same one.
 */
final class LocalKeys {
    static final Path DIR = Path.of(".trainlayer");
    static final String FILE = "admin.key";

    private LocalKeys() {}

    static DevStack.ApiAccess access(Path dir) throws IOException {
        String configured = System.getenv("TRAINLAYER_API_KEYS");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("trainlayer.api.keys");
        }
        if (configured != null && !configured.isBlank()) {
            ApiKeys.parse(configured);   // a malformed list fails here, with the entry named
            for (String entry : configured.split(",")) {
                String[] parts = entry.trim().split(":", 4);
                if (parts.length == 4 && Role.parse(parts[2]).map(r -> r.includes(Role.TRAINER)).orElse(false)) {
                    return new DevStack.ApiAccess(configured, parts[3]);
                }
            }
            throw new IllegalStateException("TRAINLAYER_API_KEYS has no trainer, approver or admin key for the launcher to use");
        }
        Path file = dir.resolve(FILE);
        String secret;
        if (Files.exists(file)) {
            secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        } else {
            Files.createDirectories(dir);
            secret = DevStack.ApiAccess.newSecret();
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the directory's permissions
            }
            Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return new DevStack.ApiAccess("admin:" + Projects.DEFAULT + ":admin:" + secret, secret);
    }

    /** Whether the stack's only key is the one made for it (no TRAINLAYER_API_KEYS). */
    static boolean isGenerated(DevStack.ApiAccess access) {
        return access.keys().equals("admin:" + Projects.DEFAULT + ":admin:" + access.token());
    }

    /** What to tell the user about the keys: the generated one in full (it is theirs), configured ones not at all. */
    static String describe(DevStack.ApiAccess access, Path dir, String apiUrl) {
        return isGenerated(access)
                ? "'admin' (role admin, project default), kept in " + dir.resolve(FILE) + ":\n             " + access.token()
                        + "\n             curl -H \"Authorization: Bearer $(cat " + dir.resolve(FILE) + ")\" " + apiUrl + "/api/v1/runs"
                : "from TRAINLAYER_API_KEYS (the launcher itself uses one of its trainer-or-higher keys)";
    }
}
