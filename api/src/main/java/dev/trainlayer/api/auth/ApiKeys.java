package dev.trainlayer.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys, parsed from {@code trainlayer.api.keys} ({@code TRAINLAYER_API_KEYS}): comma-separated
 * {@code name:project:role:secret}. Only SHA-256 digests of the secrets are kept; a presented key is hashed and
 * compared with every entry in constant time, so neither the comparison nor the number of entries checked
 * tells an attacker how close a guess came. Secrets are high-entropy strings the operator generates, which is
 * why a fast hash is enough here (a password would need a slow one).
 */
public final class ApiKeys {
    /** Key names and projects: the same shape as pipeline names, so they are safe in ids, keys and logs. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    public static final int MIN_SECRET_LENGTH = 16;

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A malformed key list; the message names the entry (by position and name), never its secret. */
    public static final class InvalidKeysException extends IllegalArgumentException {
        InvalidKeysException(String message) {
            super(message);
        }
    }

    public static ApiKeys parse(String text) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        if (text == null || text.isBlank()) {
            return new ApiKeys(entries);
        }
        String[] items = text.split(",");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            if (item.isEmpty()) {
                continue;
            }
            String where = "trainlayer.api.keys entry " + (i + 1);
            String[] parts = item.split(":", 4);
            if (parts.length != 4) {
                throw new InvalidKeysException(where + " is not name:project:role:secret");
            }
            String name = parts[0].trim();
            String project = parts[1].trim();
            if (!NAME.matcher(name).matches()) {
                throw new InvalidKeysException(where + ": name '" + name + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
            }
            String at = where + " ('" + name + "')";
            if (!NAME.matcher(project).matches()) {
                throw new InvalidKeysException(at + ": project '" + project + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
            }
            Role role = Role.parse(parts[2]).orElseThrow(() -> new InvalidKeysException(
                    at + ": role must be one of viewer, trainer, approver, admin"));
            String secret = parts[3];
            if (secret.length() < MIN_SECRET_LENGTH || !secret.equals(secret.strip()) || secret.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidKeysException(at + ": the secret must be at least " + MIN_SECRET_LENGTH
                        + " characters without spaces (e.g. `openssl rand -hex 24`)");
            }
            if (!names.add(name)) {
                throw new InvalidKeysException(at + ": another key already has this name");
            }
            byte[] digest = sha256(secret);
            if (!digests.add(java.util.HexFormat.of().formatHex(digest))) {
                throw new InvalidKeysException(at + ": another key has the same secret");
            }
            entries.add(new Entry(new Caller(name, project, role), digest));
        }
        return new ApiKeys(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The caller whose secret this is. Every entry is compared, whatever matched first. */
    public Optional<Caller> authenticate(String presented) {
        return match(presented).map(Entry::caller);
    }

    /** The entry whose secret this is, compared with every entry whatever matched first. */
    Optional<Entry> match(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Entry found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(digest, entry.digest()) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The caller named {@code name} and the digest of its secret as configured now: a dashboard session is bound
     * to both, so removing a key, changing its role or rotating its secret ends the sessions it opened.
     */
    Optional<Entry> byName(String name) {
        return entries.stream().filter(e -> e.caller().name().equals(name)).findFirst();
    }

    /** What a session's fingerprint covers: the key's current caller and the digest of its secret. */
    record Entry(Caller caller, byte[] digest) {}

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
