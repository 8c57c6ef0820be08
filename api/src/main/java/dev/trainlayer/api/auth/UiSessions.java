package dev.trainlayer.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Dashboard sessions: what the login page trades an API key for, so a browser never keeps the key itself.
 * A session is a signed cookie value — {@code v1.<name|expiry|nonce|fingerprint>.<HMAC-SHA256>} — that names
 * the key it was opened with and a fingerprint of that key's secret digest. Nothing is stored per session, so
 * every API replica that shares {@code trainlayer.ui.session-key} accepts it; each request looks the key up
 * again, so removing the key, changing its role or rotating its secret ends its sessions at once.
 * Unsafe requests made with the cookie also need {@link #csrfToken} in {@code X-CSRF-Token}: a value derived
 * from the session that a page of ours can read and another site cannot.
 */
public final class UiSessions {
    public static final String COOKIE = "trainlayer_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;
    /** Nonces of sessions logged out before they expired, with their expiry (seconds), so the map cleans itself. */
    private final Map<String, Long> loggedOut = new ConcurrentHashMap<>();

    public UiSessions(byte[] key, Duration ttl, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the session key must be at least 32 bytes");
        }
        this.key = key.clone();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A key for one process: sessions end when it restarts (set trainlayer.ui.session-key to share one). */
    public static byte[] randomKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A session for the key whose entry this is. */
    String open(ApiKeys.Entry entry) {
        byte[] nonce = new byte[18];
        RANDOM.nextBytes(nonce);
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String payload = entry.caller().name() + "|" + expires + "|" + B64.encodeToString(nonce) + "|" + fingerprint(entry);
        String body = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return "v1." + body + "." + B64.encodeToString(mac("session:" + body));
    }

    /** The caller of a valid, unexpired session whose key still exists unchanged. */
    Optional<Caller> verify(String token, ApiKeys keys) {
        return parse(token).flatMap(p -> keys.byName(p.name())
                .filter(entry -> MessageDigest.isEqual(fingerprint(entry).getBytes(StandardCharsets.UTF_8),
                        p.fingerprint().getBytes(StandardCharsets.UTF_8)))
                .map(ApiKeys.Entry::caller));
    }

    /** The CSRF token of a session: pages send it back in {@link #CSRF_HEADER} with every unsafe request. */
    public String csrfToken(String token) {
        return parse(token).map(p -> B64.encodeToString(mac("csrf:" + p.nonce()))).orElse("");
    }

    boolean csrfMatches(String token, String presented) {
        String expected = csrfToken(token);
        return presented != null && !expected.isEmpty()
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends a session before its expiry (logout); its cookie is refused from now on by this process. */
    void close(String token) {
        long now = clock.instant().getEpochSecond();
        loggedOut.values().removeIf(expiry -> expiry < now);
        parse(token).ifPresent(p -> loggedOut.put(p.nonce(), p.expires()));
    }

    private record Payload(String name, long expires, String nonce, String fingerprint) {}

    private Optional<Payload> parse(String token) {
        if (token == null || token.length() > 512 || !token.startsWith("v1.")) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        byte[] presented;
        String payload;
        try {
            presented = UNB64.decode(parts[2]);
            payload = new String(UNB64.decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac("session:" + parts[1]), presented)) {
            return Optional.empty();
        }
        String[] fields = payload.split("\\|", -1);
        if (fields.length != 4) {
            return Optional.empty();
        }
        long expires;
        try {
            expires = Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (expires <= clock.instant().getEpochSecond() || loggedOut.containsKey(fields[2])) {
            return Optional.empty();
        }
        return Optional.of(new Payload(fields[0], expires, fields[2], fields[3]));
    }

    private String fingerprint(ApiKeys.Entry entry) {
        Caller c = entry.caller();
        byte[] full = mac("key:" + c.name() + "|" + c.project() + "|" + c.role().wire() + "|" + java.util.HexFormat.of().formatHex(entry.digest()));
        return B64.encodeToString(java.util.Arrays.copyOf(full, 16));
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
