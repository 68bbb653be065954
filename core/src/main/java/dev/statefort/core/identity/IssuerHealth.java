package dev.statefort.core.identity;

import java.time.Instant;

/**
 * How a configured issuer is doing, for {@code GET /api/v1/oidc/issuers}: never a secret (an issuer
 * has none).
 *
 * @param status {@code ok} (keys at hand), {@code unavailable} (the last fetch failed and no keys are
 *     at hand: its tokens get 503) or {@code not-fetched} (no token of it was seen yet)
 * @param jwksUrl the key set's address (configured, or found in the discovery document; null before the first fetch)
 * @param keys how many signing keys are at hand
 * @param lastFetch when keys were last fetched, or null
 * @param lastError why the last fetch failed, or null when it did not
 */
public record IssuerHealth(
        String name,
        String issuer,
        String audience,
        String jwksUrl,
        String status,
        int keys,
        Instant lastFetch,
        String lastError) {}
