package dev.statefort.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The OIDC issuers whose ID tokens authenticate CI jobs ({@code oidc.<name>.*}), and how long an
 * apply may outlive its token under the lock it took ({@code jwt-lock-grace}).
 */
public record OidcSettings(List<Issuer> issuers, Duration lockGrace) {

    /**
     * One trusted issuer.
     *
     * @param jwksUrl null: from the discovery document
     * @param caFile a PEM file of the CA its TLS certificates chain to, or null: the JDK's trust store
     */
    public record Issuer(String name, String issuer, String audience, URI jwksUrl, Path caFile) {}

    public OidcSettings {
        issuers = List.copyOf(issuers);
    }
}
