package dev.statefort.core.identity;

import java.net.URI;
import javax.net.ssl.SSLSocketFactory;

/**
 * An OIDC issuer the operator trusts ({@code oidc.<name>.*}): its ID tokens can authenticate CI jobs
 * on the projects whose trust policies name it.
 *
 * @param name the operator's name for it, what trust policies and principals use ({@code github})
 * @param issuer the exact {@code iss} of its tokens ({@code https://token.actions.githubusercontent.com})
 * @param audience what a token's {@code aud} must contain
 * @param jwksUrl where its signing keys are; null: the {@code jwks_uri} of {@code <issuer>/.well-known/openid-configuration}
 * @param tls the connections to it trust this (a private CA); null: the JDK's trust store
 */
public record OidcIssuer(String name, String issuer, String audience, URI jwksUrl, SSLSocketFactory tls) {

    /** The discovery document's address. */
    public URI discoveryUrl() {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }
}
