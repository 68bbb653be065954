package dev.statefort.core.testing;

import dev.statefort.core.model.TokenRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** {@link InMemoryMetadataStore}'s tokens: create, find, list, record use, revoke with every descendant. */
final class InMemoryTokens {
    private final Map<String, TokenRecord> tokens = new HashMap<>();

    synchronized void createToken(TokenRecord token) {
        if (tokens.containsKey(token.id())) {
            throw new IllegalArgumentException("a token with this ID already exists");
        }
        tokens.put(
                token.id(),
                new TokenRecord(
                        token.id(),
                        token.name(),
                        token.project(),
                        token.state(),
                        token.permission(),
                        token.ownerUser(),
                        token.secretHash(),
                        millis(token.createdAt()),
                        millisOrNull(token.expiresAt()),
                        millisOrNull(token.revokedAt()),
                        millisOrNull(token.lastUsedAt()),
                        token.ownerUserId(),
                        token.parentId()));
    }

    synchronized Optional<TokenRecord> findToken(String id) {
        return Optional.ofNullable(tokens.get(id));
    }

    synchronized List<TokenRecord> listTokens() {
        return tokens.values().stream()
                .sorted(Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::id))
                .toList();
    }

    synchronized boolean revokeToken(String id, Instant now) {
        TokenRecord t = tokens.get(id);
        if (t == null || t.isRevoked()) {
            return false;
        }
        revokeTree(List.of(id), now);
        return true;
    }

    /** Revokes the user's tokens and their descendants; how many were still valid. */
    synchronized int revokeTokensOfUser(String userId, Instant now) {
        return revokeTree(
                tokens.values().stream()
                        .filter(t -> userId.equals(t.ownerUserId()))
                        .map(TokenRecord::id)
                        .toList(),
                now);
    }

    /** Revokes the tokens {@code roots} and all their descendants that are valid; how many. */
    private int revokeTree(List<String> roots, Instant now) {
        Set<String> tree = new HashSet<>(roots);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (TokenRecord t : tokens.values()) {
                if (t.parentId() != null && tree.contains(t.parentId()) && tree.add(t.id())) {
                    grew = true;
                }
            }
        }
        int revoked = 0;
        for (String id : tree) {
            TokenRecord t = tokens.get(id);
            if (t != null && !t.isRevoked()) {
                tokens.put(id, withUse(t, t.lastUsedAt(), millis(now)));
                revoked++;
            }
        }
        return revoked;
    }

    synchronized boolean recordTokenUse(String id, Instant now) {
        TokenRecord t = tokens.get(id);
        if (t == null) {
            return false;
        }
        tokens.put(id, withUse(t, millis(now), t.revokedAt()));
        return true;
    }

    private static TokenRecord withUse(TokenRecord t, Instant lastUsedAt, Instant revokedAt) {
        return new TokenRecord(
                t.id(),
                t.name(),
                t.project(),
                t.state(),
                t.permission(),
                t.ownerUser(),
                t.secretHash(),
                t.createdAt(),
                t.expiresAt(),
                revokedAt,
                lastUsedAt,
                t.ownerUserId(),
                t.parentId());
    }

    private static Instant millis(Instant t) {
        return Objects.requireNonNull(t, "time").truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant millisOrNull(Instant t) {
        return t == null ? null : millis(t);
    }
}
