package dev.trainlayer.api.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's credentials, read once at start-up: the API keys and, when a JWKS URL is configured, the OIDC/JWT
 * authenticator. With neither, or with a malformed key list, the API stops before it listens.
 */
@Factory
public class AuthBeans {
    private static final Logger log = LoggerFactory.getLogger(AuthBeans.class);

    @Context
    Credentials credentials(@Value("${trainlayer.api.keys:}") String keys,
                            @Value("${trainlayer.api.jwt.jwks-url:}") String jwksUrl,
                            @Value("${trainlayer.api.jwt.issuer:}") String issuer,
                            @Value("${trainlayer.api.jwt.audience:}") String audience,
                            @Value("${trainlayer.api.jwt.project-claim:trainlayer_project}") String projectClaim,
                            @Value("${trainlayer.api.jwt.role-claim:trainlayer_role}") String roleClaim,
                            @Value("${trainlayer.api.jwt.name-claim:sub}") String nameClaim,
                            @Value("${trainlayer.metrics.token:}") String scrapeToken) {
        ApiKeys parsed = ApiKeys.parse(keys);
        Optional<JwtAuthenticator> jwt = jwksUrl.isBlank() ? Optional.empty()
                : Optional.of(new JwtAuthenticator(new JwtAuthenticator.Settings(jwksUrl, issuer, audience, projectClaim, roleClaim, nameClaim)));
        if (parsed.isEmpty() && jwt.isEmpty()) {
            throw new IllegalStateException("no API keys are configured, so no call could be authorized: set TRAINLAYER_API_KEYS "
                    + "(or trainlayer.api.keys) to comma-separated name:project:role:secret entries, roles viewer|trainer|approver|admin, "
                    + "or trainlayer.api.jwt.jwks-url and .issuer for OIDC tokens "
                    + "(`./trainlayer dev` and `./trainlayer demo` create one admin key by themselves)");
        }
        if (!scrapeToken.isBlank() && scrapeToken.strip().length() < 16) {
            throw new IllegalStateException("trainlayer.metrics.token (TRAINLAYER_METRICS_TOKEN) must be at least 16 characters");
        }
        log.info("API keys: {} configured; OIDC/JWT tokens: {}; metrics scrape token: {}", parsed.size(),
                jwt.isPresent() ? "issuer " + issuer : "off", scrapeToken.isBlank() ? "off" : "on");
        return new Credentials(parsed, jwt, scrapeToken.isBlank() ? Optional.empty() : Optional.of(digest(scrapeToken.strip())));
    }

    /**
     * Dashboard sessions signed with {@code trainlayer.ui.session-key} (base64 of at least 32 bytes; every API
     * replica needs the same one), or with a key made for this process when none is set.
     */
    @Context
    UiSessions uiSessions(@Value("${trainlayer.ui.session-key:}") String key,
                          @Value("${trainlayer.ui.session-ttl:12h}") java.time.Duration ttl) {
        byte[] bytes;
        if (key.isBlank()) {
            bytes = UiSessions.randomKey();
            log.info("dashboard sessions: signed with a key of this process (they end when it restarts; "
                    + "set TRAINLAYER_UI_SESSION_KEY to share sessions between API replicas)");
        } else {
            try {
                bytes = java.util.Base64.getDecoder().decode(key.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("trainlayer.ui.session-key (TRAINLAYER_UI_SESSION_KEY) is not base64");
            }
            if (bytes.length < 32) {
                throw new IllegalStateException("trainlayer.ui.session-key (TRAINLAYER_UI_SESSION_KEY) must be at least 32 bytes "
                        + "(e.g. `openssl rand -base64 32`)");
            }
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(java.time.Duration.ofDays(30)) > 0) {
            throw new IllegalStateException("trainlayer.ui.session-ttl must be between 1s and 30d");
        }
        return new UiSessions(bytes, ttl, java.time.Clock.systemUTC());
    }

    static byte[] digest(String secret) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a bearer value is checked against: the API keys first, then (for JWT-shaped values) the token verifier;
     * on {@link ScrapeToken} routes also the metrics scrape token (its SHA-256).
     */
    public record Credentials(ApiKeys keys, Optional<JwtAuthenticator> jwt, Optional<byte[]> scrapeTokenDigest) {
        boolean isScrapeToken(String token) {
            return scrapeTokenDigest.isPresent() && java.security.MessageDigest.isEqual(scrapeTokenDigest.get(), digest(token));
        }
    }
}
