package dev.trainlayer.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * OIDC/JWT bearer tokens from an identity provider, checked in the same filter as API keys: the signature against
 * the provider's JWKS (fetched and cached by Nimbus, refreshed when a new key id appears), the issuer, the audience
 * when one is configured, and expiry. Asymmetric algorithms only (no {@code none}, no HMAC with a public key). The
 * caller's project and role come from claims ({@code trainlayer_project}, {@code trainlayer_role} by default: a
 * string, or a list of which the highest role counts); its name from {@code sub} (or the configured claim).
 */
public final class JwtAuthenticator {
    /** A token that verified but does not say which project or role it has: a 403, not a 401. */
    public static final class UnmappedTokenException extends Exception {
        UnmappedTokenException(String message) {
            super(message);
        }
    }

    public record Settings(String jwksUrl, String issuer, String audience, String projectClaim, String roleClaim, String nameClaim) {}

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Settings settings;

    public JwtAuthenticator(Settings settings) {
        if (settings.issuer() == null || settings.issuer().isBlank()) {
            throw new IllegalStateException("trainlayer.api.jwt.issuer is required with trainlayer.api.jwt.jwks-url: tokens of any issuer "
                    + "signed by a key of that set would otherwise be accepted");
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(URI.create(settings.jwksUrl()).toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("trainlayer.api.jwt.jwks-url '" + settings.jwksUrl() + "' is not a URL", e);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
                JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
                JWSAlgorithm.EdDSA), keys));
        // Mutable sets: Nimbus asks them whether they contain null, which Set.of answers with an exception.
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                settings.audience() == null || settings.audience().isBlank() ? null : new HashSet<>(List.of(settings.audience())),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                new HashSet<>(List.of("exp", settings.nameClaim())), null));
        this.settings = settings;
    }

    /** Whether a bearer value has the shape of a JWT (three base64url parts); API keys never do. */
    public static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2 && token.length() > 20;
    }

    /**
     * The caller a valid token names; empty when the token does not verify (bad signature, wrong issuer or
     * audience, expired, malformed).
     */
    public Optional<Caller> authenticate(String token) throws UnmappedTokenException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
        String project = string(claims.getClaim(settings.projectClaim()));
        if (project == null || !ApiKeys.NAME.matcher(project).matches()) {
            throw new UnmappedTokenException("the token has no valid '" + settings.projectClaim() + "' claim (a project name)");
        }
        Role role = roles(claims.getClaim(settings.roleClaim())).stream().max(Enum::compareTo).orElseThrow(() ->
                new UnmappedTokenException("the token has no '" + settings.roleClaim() + "' claim of viewer, trainer, approver or admin"));
        String name = string(claims.getClaim(settings.nameClaim()));
        return Optional.of(new Caller(name, project, role));
    }

    private static String string(Object claim) {
        return claim instanceof String s && !s.isBlank() ? s : null;
    }

    private static List<Role> roles(Object claim) {
        if (claim instanceof String s) {
            return Role.parse(s).stream().toList();
        }
        if (claim instanceof Collection<?> c) {
            return c.stream().filter(String.class::isInstance).map(String.class::cast).flatMap(s -> Role.parse(s).stream()).toList();
        }
        return List.of();
    }
}
