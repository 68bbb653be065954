package dev.statefort.core.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OIDC issuer for tests, on 127.0.0.1: its discovery document ({@code /.well-known/openid-configuration})
 * and JWKS ({@code /jwks}) served by the JDK's HTTP server, keys made per instance (an RSA and an EC
 * P-256 key), key rotation and an outage on demand. Tokens are signed with Nimbus as a CI system's
 * would be; the server under test knows nothing of this class.
 */
public final class FakeOidcIssuer implements AutoCloseable {
    public static final String AUDIENCE = "statefort-test";

    private final HttpServer http;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile List<JWK> published = new ArrayList<>();
    private volatile RSAKey rsa;
    private volatile ECKey ec;
    private volatile boolean down;

    private FakeOidcIssuer(HttpServer http) throws JOSEException {
        this.http = http;
        rotate();
    }

    public static FakeOidcIssuer start() throws IOException, JOSEException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeOidcIssuer issuer = new FakeOidcIssuer(http);
        http.createContext("/.well-known/openid-configuration", issuer::discovery);
        http.createContext("/jwks", issuer::jwks);
        http.start();
        return issuer;
    }

    /** The {@code iss} of its tokens (and the base of its documents). */
    public String issuer() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** The server settings that trust it as issuer {@code name}: {@code oidc.<name>.issuer} and {@code .audience}. */
    public Map<String, String> settings(String name) {
        return Map.of("oidc." + name + ".issuer", issuer(), "oidc." + name + ".audience", AUDIENCE);
    }

    /** New signing keys (new key IDs); the old ones are no longer published. */
    public void rotate() throws JOSEException {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
        published = List.of(rsa.toPublicJWK(), ec.toPublicJWK());
    }

    /** Whether its documents answer 503 (an issuer outage). */
    public void down(boolean isDown) {
        this.down = isDown;
    }

    /** How many times its JWKS was fetched. */
    public int jwksFetches() {
        return jwksFetches.get();
    }

    public RSAKey rsaKey() {
        return rsa;
    }

    /** Claims of a CI job, valid from {@code now} for {@code lifetime} seconds, for this issuer and the test audience. */
    public JWTClaimsSet.Builder claims(String subject, Instant now, long lifetimeSeconds) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(AUDIENCE)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(lifetimeSeconds)));
    }

    /** A GitHub Actions-like token for {@code repository} at {@code ref}, RS256. */
    public String github(String repository, String ref, Instant now, long lifetimeSeconds) {
        return signRs256(claims("repo:" + repository + ":ref:" + ref, now, lifetimeSeconds)
                .claim("repository", repository)
                .claim("ref", ref)
                .build());
    }

    public String signRs256(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.RS256, rsa.getKeyID(), signer(rsa));
    }

    public String signEs256(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.ES256, ec.getKeyID(), signer(ec));
    }

    private static JWSSigner signer(JWK key) {
        try {
            return key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, String keyId, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm)
                        .keyID(keyId)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        respond(
                exchange,
                "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer()
                        + "/jwks\",\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}");
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksFetches.incrementAndGet();
        respond(exchange, new JWKSet(published).toString(true));
    }

    private void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = (down ? "{\"error\":\"down\"}" : json).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(down ? 503 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
