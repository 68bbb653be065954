package dev.statefort.core.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The signing keys of one issuer: fetched (with a timeout) on first use, from the configured JWKS
 * address or the {@code jwks_uri} of the discovery document; kept for {@link #TIME_TO_LIVE}; fetched
 * again on expiry (by one caller, the others going on with the keys at hand) and when a token names
 * a key not among them, but never more often than once per {@link #MIN_REFETCH_INTERVAL}. Keys whose
 * refresh fails stay in use for {@link #MAX_STALENESS}; with none at hand and a failed fetch, every
 * token of the issuer gets {@link IssuerUnavailableException} (through Nimbus as a {@link KeySourceException}).
 */
final class IssuerKeys implements JWKSource<SecurityContext> {
    static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);
    static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(IssuerUnavailableException.RETRY_AFTER_SECONDS);
    /** How long past their time to live keys stay in use while the issuer cannot be reached. */
    static final Duration MAX_STALENESS = Duration.ofHours(1);

    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int SIZE_LIMIT_BYTES = 512 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Fetched(JWKSet keys, Instant at, URI from) {
        /** Within their time to live. */
        boolean freshAt(Instant now) {
            return now.isBefore(at.plus(TIME_TO_LIVE));
        }

        /** Still to be used when a refresh fails: at most {@link #MAX_STALENESS} past their time to live. */
        boolean usableAt(Instant now) {
            return now.isBefore(at.plus(TIME_TO_LIVE).plus(MAX_STALENESS));
        }
    }

    private final OidcIssuer issuer;
    private final ResourceRetriever http;
    private final Clock clock;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Fetched fetched;
    private volatile Instant lastAttempt;
    private volatile String lastError;

    IssuerKeys(OidcIssuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
        this.http = new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, SIZE_LIMIT_BYTES, true, issuer.tls());
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        Fetched keys = live();
        List<JWK> found = selector.select(keys.keys());
        if (found.isEmpty() && mayFetch(clock.instant())) {
            found = selector.select(fetchIfStillNeeded(keys).keys()); // an unknown kid: the keys may have rotated
        }
        return found;
    }

    /**
     * The keys to check with. Fresh keys are used as they are. Keys past their time to live are
     * refreshed by one caller while the others go on with them, and stay in use while the issuer
     * cannot be reached for at most {@link #MAX_STALENESS} (an apply finishing under its lock does not
     * fail because the issuer blinked). With no keys at all, the first callers wait for the fetch.
     */
    private Fetched live() throws KeySourceException {
        Fetched current = fetched;
        Instant now = clock.instant();
        if (current != null && current.freshAt(now)) {
            return current;
        }
        if (current == null) {
            return fetchIfStillNeeded(null);
        }
        boolean usable = current.usableAt(now);
        if (!fetching.tryLock()) {
            return usable ? current : fetchIfStillNeeded(current); // another caller refreshes them
        }
        try {
            return fetchIfStillNeeded(current);
        } catch (KeySourceException e) {
            if (usable) {
                return current;
            }
            throw e;
        } finally {
            fetching.unlock();
        }
    }

    /** Fetches unless another caller did since {@code seen} was read; refused within the refetch interval. */
    private Fetched fetchIfStillNeeded(Fetched seen) throws KeySourceException {
        fetching.lock();
        try {
            Fetched current = fetched;
            if (current != seen) {
                return current;
            }
            Instant now = clock.instant();
            if (!mayFetch(now)) {
                if (current != null && lastError == null) {
                    return current; // fetched a moment ago and still the same keys
                }
                throw unavailable();
            }
            lastAttempt = now;
            try {
                URI from = jwksUrl();
                JWKSet keys = JWKSet.parse(http.retrieveResource(from.toURL()).getContent())
                        .toPublicJWKSet();
                fetched = new Fetched(keys, now, from);
                lastError = null;
                return fetched;
            } catch (IOException | ParseException | RuntimeException e) {
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                throw unavailable();
            }
        } finally {
            fetching.unlock();
        }
    }

    private boolean mayFetch(Instant now) {
        Instant last = lastAttempt;
        return last == null || !now.isBefore(last.plus(MIN_REFETCH_INTERVAL));
    }

    private KeySourceException unavailable() {
        return new KeySourceException("the signing keys of OIDC issuer '" + issuer.name() + "' cannot be fetched"
                + (lastError == null ? "" : " (" + lastError + ")"));
    }

    /** The configured JWKS address, or the discovery document's {@code jwks_uri} (https, or http on a loopback host). */
    private URI jwksUrl() throws IOException {
        if (issuer.jwksUrl() != null) {
            return issuer.jwksUrl();
        }
        Fetched current = fetched;
        if (current != null) {
            return current.from();
        }
        JsonNode discovery = JSON.readTree(
                http.retrieveResource(issuer.discoveryUrl().toURL()).getContent());
        String jwksUri = discovery == null ? null : discovery.path("jwks_uri").asText(null);
        if (jwksUri == null || jwksUri.isBlank()) {
            throw new IOException("the discovery document " + issuer.discoveryUrl() + " names no jwks_uri");
        }
        URI uri = URI.create(jwksUri);
        if (!IssuerAddresses.isAllowed(uri)) {
            throw new IOException(
                    "the discovery document's jwks_uri " + uri + " is neither https nor on a loopback host");
        }
        return uri;
    }

    IssuerHealth health() {
        Fetched current = fetched;
        String error = lastError;
        Instant now = clock.instant();
        String status;
        if (current == null) {
            status = error == null ? "not-fetched" : "unavailable";
        } else if (error == null || current.freshAt(now)) {
            status = "ok"; // fresh, or due for a refresh at the next token
        } else {
            status = current.usableAt(now) ? "stale" : "unavailable";
        }
        URI from = current != null ? current.from() : issuer.jwksUrl();
        return new IssuerHealth(
                issuer.name(),
                issuer.issuer(),
                issuer.audience(),
                from == null ? null : from.toString(),
                status,
                current == null ? 0 : current.keys().getKeys().size(),
                current == null ? null : current.at(),
                error);
    }
}
