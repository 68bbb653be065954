package dev.statefort.core.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.statefort.core.auth.Secrets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an OIDC ID token's signature (Nimbus JOSE+JWT, with the keys of the issuer its {@code iss}
 * names), issuer and audience. Only the asymmetric algorithms issuers use are accepted (RS256,
 * RS384, RS512, ES256, ES384): never {@code none}, never an HMAC (whose "secret" would be the public
 * key). Its times are left to the caller ({@link WorkloadIdentityService}), which lets a lock outlive it.
 */
public final class JwtVerifier {
    static final Set<JWSAlgorithm> ALGORITHMS =
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

    /**
     * Nimbus's verifiers; ES256/ES384 signatures are checked with BouncyCastle's ECDSA, about three
     * times faster at verifying than the JDK's constant-time P-256 code (a verify handles no secret).
     */
    private static final com.nimbusds.jose.proc.JWSVerifierFactory VERIFIERS = new EcdsaOnBouncyCastle();

    /** The default factory, but an EC key gets an ECDSA verifier on BouncyCastle's provider. */
    private static final class EcdsaOnBouncyCastle
            extends com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory {
        private static final java.security.Provider BOUNCY_CASTLE =
                new org.bouncycastle.jce.provider.BouncyCastleProvider();

        @Override
        public com.nimbusds.jose.JWSVerifier createJWSVerifier(
                com.nimbusds.jose.JWSHeader header, java.security.Key key) throws JOSEException {
            if (key instanceof java.security.interfaces.ECPublicKey ec) {
                com.nimbusds.jose.crypto.ECDSAVerifier verifier = new com.nimbusds.jose.crypto.ECDSAVerifier(ec);
                verifier.getJCAContext().setProvider(BOUNCY_CASTLE);
                return verifier;
            }
            return super.createJWSVerifier(header, key);
        }
    }

    private record Trusted(OidcIssuer issuer, IssuerKeys keys, DefaultJWTProcessor<SecurityContext> processor) {}

    /** By the exact {@code iss} of their tokens. */
    private final Map<String, Trusted> byIssuer = new LinkedHashMap<>();

    public JwtVerifier(List<OidcIssuer> issuers, Clock clock) {
        for (OidcIssuer issuer : issuers) {
            IssuerKeys keys = new IssuerKeys(issuer, clock);
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
            processor.setJWSVerifierFactory(VERIFIERS);
            processor.setJWTClaimsSetVerifier((claims, context) -> {}); // checked in verify and by the caller
            byIssuer.put(issuer.issuer(), new Trusted(issuer, keys, processor));
        }
    }

    /** No issuer configured: every token is refused. */
    public static JwtVerifier none() {
        return new JwtVerifier(List.of(), Clock.systemUTC());
    }

    /** Whether a presented credential has the shape of a JWT (three base64url parts, a JSON header), not of an API token. */
    public static boolean looksLikeJwt(String credential) {
        return credential != null
                && credential.startsWith("eyJ")
                && credential.chars().filter(c -> c == '.').count() == 2;
    }

    /** Whether {@code name} is a configured issuer. */
    public boolean isConfigured(String name) {
        return byIssuer.values().stream().anyMatch(t -> t.issuer().name().equals(name));
    }

    /** The configured issuers, with how fetching their keys goes. */
    public List<IssuerHealth> health() {
        return byIssuer.values().stream().map(t -> t.keys().health()).toList();
    }

    /**
     * The token's claims once its signature, issuer and audience hold.
     *
     * @throws JwtRejectedException when any of them does not (403)
     * @throws IssuerUnavailableException when its issuer's keys cannot be fetched now (503)
     */
    public VerifiedJwt verify(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new JwtRejectedException("not a signed JWT");
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            throw new JwtRejectedException("the algorithm " + jwt.getHeader().getAlgorithm()
                    + " is not accepted (RS256, RS384, RS512, ES256, ES384)");
        }
        Trusted trusted = claims.getIssuer() == null ? null : byIssuer.get(claims.getIssuer());
        if (trusted == null) {
            throw new JwtRejectedException("its issuer is not configured on this server");
        }
        try {
            trusted.processor().process(jwt, null);
        } catch (KeySourceException e) {
            throw new IssuerUnavailableException(e.getMessage() + "; OIDC tokens of this issuer cannot be checked now");
        } catch (BadJOSEException | JOSEException e) {
            throw new JwtRejectedException("its signature does not verify with the issuer's keys");
        }
        if (!claims.getAudience().contains(trusted.issuer().audience())) {
            throw new JwtRejectedException("it is not meant for this server (aud)");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new JwtRejectedException("it has no subject (sub)");
        }
        if (claims.getExpirationTime() == null) {
            throw new JwtRejectedException("it has no expiry (exp)");
        }
        return new VerifiedJwt(
                trusted.issuer().name(),
                claims.getSubject(),
                claims.getJWTID(),
                claims.getClaims(),
                claims.getExpirationTime().toInstant(),
                claims.getNotBeforeTime() == null
                        ? null
                        : claims.getNotBeforeTime().toInstant(),
                "jwt:" + Secrets.sha256Hex(token));
    }

    /** The claim's values as text: a string, number or boolean is one; a list gives each of its simple elements. */
    static List<String> textsOf(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof Collection<?> many) {
            return many.stream()
                    .filter(JwtVerifier::isSimple)
                    .map(String::valueOf)
                    .toList();
        }
        return isSimple(claim) ? List.of(String.valueOf(claim)) : List.of();
    }

    private static boolean isSimple(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }
}
