package dev.statefort.core.spi;

import dev.statefort.core.model.TokenRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API tokens (hashed secrets only). One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 */
public interface TokenStore {
    // ---- tokens -------------------------------------------------------------------------------

    /** Stores a new token; the ID is unique (an existing ID is an IllegalArgumentException). */
    void createToken(TokenRecord token);

    Optional<TokenRecord> findToken(String id);

    List<TokenRecord> listTokens();

    /**
     * Marks the token revoked at {@code now}, and in the same transaction every valid token
     * descending from it ({@link TokenRecord#parentId()}, transitively); false if no such token or
     * already revoked (its descendants are then left as they are).
     */
    boolean revokeToken(String id, Instant now);

    /** Sets the token's {@code lastUsedAt} to {@code now}; false if there is no such token. */
    boolean recordTokenUse(String id, Instant now);
}
