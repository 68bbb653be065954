package dev.statefort.core.spi;

import java.util.Optional;

/**
 * Blobs kept in the metadata database instead of a storage profile: the encoded bytes of a small
 * state version (see {@link BlobKeys#newDatabaseBlob}), so that its write costs one durable commit
 * (the version row and its bytes in the same transaction: {@code VersionCommit#smallBlob}) instead of
 * a blob fsync, a directory fsync and a commit. These methods serve everything else that handles a
 * blob by key (reads, storage moves, re-encryption, a quarantined write); the store deletes a
 * version's small blob in the transaction that deletes the version (retention, a state's deletion).
 */
public interface SmallBlobStore {
    /** The bytes kept under {@code key}, if any. */
    Optional<byte[]> findSmallBlob(String key);

    /** Keeps {@code content} under {@code key} (replacing any), durably once this returns. */
    void putSmallBlob(String key, byte[] content);

    /** Removes the blob under {@code key}, if any. */
    void deleteSmallBlob(String key);
}
