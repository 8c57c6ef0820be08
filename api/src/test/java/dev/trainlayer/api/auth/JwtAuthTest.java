package dev.trainlayer.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.trainlayer.api.TestServers;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OIDC/JWT bearer tokens: an identity provider's JWKS served over loopback, tokens signed with its key. Valid
 * tokens map their claims to project and role; a wrong signature, issuer or audience, an expired, unsigned or
 * HMAC-forged token is a 401; a valid token without the project or role claim is a 403.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAuthTest implements TestPropertyProvider {
    static final String ISSUER = "https://idp.example.test/";
    static final String AUDIENCE = "trainlayer";

    TestServers servers;
    HttpServer jwks;
    RSAKey signing;
    RSAKey stranger;
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        try {
            signing = new RSAKeyGenerator(2048).keyID("idp-1").generate();
            stranger = new RSAKeyGenerator(2048).keyID("idp-1").generate();
            byte[] body = new JWKSet(signing.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            jwks.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            jwks.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        servers = new TestServers();
        // No API keys at all: tokens are the only way in.
        return servers.properties("", Map.of(
                "trainlayer.api.jwt.jwks-url", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json",
                "trainlayer.api.jwt.issuer", ISSUER,
                "trainlayer.api.jwt.audience", AUDIENCE,
                "trainlayer.api.query-timeout", "50ms"));
    }

    @AfterAll
    void stop() throws Exception {
        jwks.stop(0);
        servers.close();
    }

    JWTClaimsSet.Builder claims(String project, Object role) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice@example.test")
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).issueTime(new Date());
        if (project != null) {
            b.claim("trainlayer_project", project);
        }
        if (role != null) {
            b.claim("trainlayer_role", role);
        }
        return b;
    }

    static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/yaml");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static final String SPEC = """
            name: jwt
            task: classification
            target: y
            data: {uri: "s3://trainlayer/uploads/team-j/jwt/x.csv"}
            """;

    @Test
    void validTokensMapTheirClaimsToProjectAndRole() throws Exception {
        String trainer = sign(signing, claims("team-j", "trainer").build());
        HttpResponse<String> started = call("POST", "/api/v1/runs", trainer, SPEC);
        assertEquals(202, started.statusCode(), started.body());
        assertTrue(started.body().contains("retrain/team-j/jwt/"), "the token's project owns the run: " + started.body());

        String viewer = sign(signing, claims("team-j", List.of("viewer", "unknown")).build());
        assertEquals(200, call("GET", "/api/v1/runs", viewer, null).statusCode());
        HttpResponse<String> refused = call("POST", "/api/v1/runs", viewer, SPEC);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("needs the role trainer"), refused.body());
        String several = sign(signing, claims("team-j", List.of("viewer", "approver")).build());
        assertEquals(202, call("POST", "/api/v1/runs", several, SPEC.replace("name: jwt", "name: jwt-2")).statusCode(),
                "the highest listed role counts");

        String otherProject = sign(signing, claims("team-k", "admin").build());
        String runId = started.body().replaceAll(".*\"runId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertEquals(404, call("GET", "/api/v1/runs/" + runId, otherProject, null).statusCode());
    }

    @Test
    void tokensThatDoNotVerifyAre401() throws Exception {
        List<String> bad = List.of(
                sign(stranger, claims("team-j", "admin").build()),
                sign(signing, claims("team-j", "admin").issuer("https://evil.example.test/").build()),
                sign(signing, claims("team-j", "admin").audience("someone-else").build()),
                sign(signing, claims("team-j", "admin").expirationTime(new Date(System.currentTimeMillis() - 120_000)).build()),
                new PlainJWT(claims("team-j", "admin").build()).serialize(),
                hmacForgedWithThePublicKey(),
                sign(signing, claims("team-j", "admin").build()).replaceFirst("\\.[^.]+\\.", ".e30."),
                "aaa.bbb.ccc-not-a-token-at-all");
        for (String token : bad) {
            HttpResponse<String> r = call("GET", "/api/v1/runs", token, null);
            assertEquals(401, r.statusCode(), token + " -> " + r.body());
        }
    }

    @Test
    void verifiedTokensWithoutProjectOrRoleAre403() throws Exception {
        HttpResponse<String> noRole = call("GET", "/api/v1/runs", sign(signing, claims("team-j", null).build()), null);
        assertEquals(403, noRole.statusCode());
        assertTrue(noRole.body().contains("trainlayer_role"), noRole.body());
        HttpResponse<String> noProject = call("GET", "/api/v1/runs", sign(signing, claims(null, "admin").build()), null);
        assertEquals(403, noProject.statusCode());
        assertTrue(noProject.body().contains("trainlayer_project"), noProject.body());
        assertEquals(403, call("GET", "/api/v1/runs", sign(signing, claims("Bad Project", "admin").build()), null).statusCode());
    }

    /** The classic confusion attack: HS256 keyed with the RSA public key's bytes. */
    String hmacForgedWithThePublicKey() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("idp-1").build(), claims("team-j", "admin").build());
        byte[] secret = java.util.Arrays.copyOf(signing.toPublicJWK().toRSAPublicKey().getEncoded(), 64);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }
}
