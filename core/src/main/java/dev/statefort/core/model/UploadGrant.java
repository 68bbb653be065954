package dev.statefort.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a TFE client's upload URL may do, once: put one state version's bytes (or its JSON form) into
 * one state before it expires. The URL carries a random secret; only its SHA-256 is stored, as a
 * session's is. Whoever asked for the URL was authorized then; the upload acts in their name.
 *
 * @param idHash lowercase hex SHA-256 of the URL's secret
 * @param kind the raw state or its JSON form (accepted and not kept: Statefort renders its own views)
 * @param serial the {@code serial} the client declared: the uploaded state must carry it
 * @param lineage the {@code lineage} the client declared: the uploaded state must carry it
 * @param md5 lowercase hex MD5 the client declared: the uploaded bytes must have it
 * @param lockId the lock the write goes under (the asker's workspace lock), or null
 * @param principal the asker's name, as the version and the audit record name it
 * @param trustPolicies the trust policies that matched the asker's OIDC token (protection rules check them)
 * @param usedAt when it was redeemed; null while it is still usable
 */
public record UploadGrant(
        String idHash,
        StateKey key,
        Kind kind,
        long serial,
        String lineage,
        String md5,
        String lockId,
        String principal,
        List<String> trustPolicies,
        Instant createdAt,
        Instant expiresAt,
        Instant usedAt) {

    /** Which of a state version's two upload URLs. */
    public enum Kind {
        STATE,
        JSON_STATE
    }

    public UploadGrant {
        Objects.requireNonNull(idHash, "idHash");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(principal, "principal");
        trustPolicies = trustPolicies == null ? List.of() : List.copyOf(trustPolicies);
    }

    /** The same grant redeemed at {@code at}. */
    public UploadGrant usedAt(Instant at) {
        return new UploadGrant(
                idHash, key, kind, serial, lineage, md5, lockId, principal, trustPolicies, createdAt, expiresAt, at);
    }

    @Override
    public String toString() {
        return "UploadGrant[" + key + " " + kind + " by " + principal + "]";
    }
}
