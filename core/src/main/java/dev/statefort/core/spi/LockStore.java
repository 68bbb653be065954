package dev.statefort.core.spi;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import java.time.Instant;
import java.util.Optional;

/**
 * State locks: take, release, look up, and expire an idle one (fencing its ID). One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 */
public interface LockStore {
    // ---- locks --------------------------------------------------------------------------------

    /**
     * Whether every change to this store's locks is made by this process (the embedded SQLite store,
     * one node; the in-memory store), so the node may refuse a LOCK from the holders it saw itself.
     * False where several nodes share the store: another node's UNLOCK would go unseen.
     */
    default boolean locksChangeOnlyHere() {
        return false;
    }

    /**
     * Takes the state's lock for {@code request.info().id()}.
     *
     * <ul>
     *   <li>Unlocked: stores the LockInfo bytes exactly, the principal and {@code now} as both
     *       acquired and last-activity time; {@link LockResult.Acquired}.
     *   <li>Held by the same ID: {@link LockResult.Acquired} with the stored record; only the
     *       last-activity time moves to {@code now} (the client retries LOCK after errors).
     *   <li>Held by another ID: {@link LockResult.HeldBy} with the holder, unchanged.
     *   <li>The state does not exist yet: it is created (first apply locks before any write).
     * </ul>
     *
     * When the lock is granted, the request's audit event (if any) is appended in the same
     * transaction, as by {@link MetadataStore#appendAudit}; a refused LOCK appends nothing and, in a store with
     * a single writer, is answered from a read.
     */
    LockResult tryLock(StateKey key, LockRequest request);

    /**
     * Releases the state's lock.
     *
     * <ul>
     *   <li>{@code lockId} null: releases whatever is held (force-unlock).
     *   <li>{@code lockId} equal to the holder's: releases.
     *   <li>{@code lockId} different from the holder's: {@link UnlockResult.HeldBy}, unchanged.
     *   <li>Nothing held, or no such state: {@link UnlockResult.NotLocked}.
     * </ul>
     *
     * @param released the event of the release (null: none): when a lock is released, {@code
     *     released.forReleasedLock(lock.id())} is appended in the same transaction, as by {@link
     *     MetadataStore#appendAudit}; the store calls back into nothing
     */
    UnlockResult unlock(StateKey key, String lockId, AuditEvent released);

    /** {@link #unlock(StateKey, String, AuditEvent)} without an audit event. */
    default UnlockResult unlock(StateKey key, String lockId) {
        return unlock(key, lockId, null);
    }

    Optional<LockRecord> findLock(StateKey key);

    // ---- lock expiry --------------------------------------------------------------------------

    /**
     * Releases the lock if it is held under {@code lockId} and its last activity is before {@code
     * idleBefore}, and records it as the state's fenced lock (its ID and LockInfo), so later writes
     * carrying that ID get {@link CommitResult.Fenced}. One atomic conditional write; false if the
     * lock is held by another ID, is not idle long enough, or nothing is held.
     */
    boolean expireLock(StateKey key, String lockId, Instant idleBefore);
}
