package dev.statefort.core.spi;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * State locks: take, release, look up, and expire an idle one (fencing its ID); the freezes that
 * stop new applies.
 *
 * <p>A state has at most one <em>exclusive</em> lock, or any number of shared <em>plan</em> locks
 * ({@link LockRequest#plan()}), never both. A plan lock never allows a write. An exclusive LOCK
 * refused because plan locks are held leaves its LockInfo as the state's <em>waiting</em> marker:
 * new plan locks are refused (shown the marker, {@link LockRecord.Kind#WAITING}) until an exclusive
 * lock is granted or {@link #WAITING_EXCLUSIVE_HOLDS_FOR} has passed since the last such refusal.
 * While a freeze ({@link Freeze}) covers the state, no new exclusive lock is granted and no write is
 * accepted unless it carries the ID of the exclusive lock already held; the refused client is shown
 * {@link Freeze#asHolder()}. One concern of {@link MetadataStore}: its general rules apply, and every
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

    /** How long an exclusive LOCK refused because of plan locks keeps new plan locks out. */
    Duration WAITING_EXCLUSIVE_HOLDS_FOR = Duration.ofSeconds(60);

    /**
     * Takes the state's lock for {@code request.info().id()}: the exclusive lock, or a plan lock
     * when {@code request.plan()}.
     *
     * <ul>
     *   <li>Exclusive, nothing held and no freeze in force: stores the LockInfo bytes exactly, the
     *       principal and {@code now} as both acquired and last-activity time; {@link
     *       LockResult.Acquired}; the waiting marker is cleared.
     *   <li>Held by the same ID and of the same kind: {@link LockResult.Acquired} with the stored
     *       record; only the last-activity time moves to {@code now} (the client retries LOCK after
     *       errors). An ID held as the other kind is refused like any other ID.
     *   <li>Exclusive, held by another ID: {@link LockResult.HeldBy} with the holder, unchanged.
     *   <li>Exclusive, plan locks held: {@link LockResult.HeldBy} the oldest plan holder; the
     *       request becomes the waiting marker (since {@code now}).
     *   <li>Exclusive, a freeze in force: {@link LockResult.HeldBy} {@link Freeze#asHolder()}.
     *   <li>Plan, the exclusive lock not held and no fresh waiting marker: granted beside the other
     *       plan locks. Otherwise {@link LockResult.HeldBy} the exclusive holder or the marker.
     *   <li>The state does not exist yet: it is created (first apply locks before any write).
     * </ul>
     *
     * When the lock is granted, the request's audit event (if any) is appended in the same
     * transaction, as by {@link MetadataStore#appendAudit}; a refused LOCK appends nothing and, in a store with
     * a single writer, is answered from a read (except when it leaves the waiting marker).
     */
    LockResult tryLock(StateKey key, LockRequest request);

    /**
     * Releases the state's lock.
     *
     * <ul>
     *   <li>{@code lockId} null: releases whatever is held, every plan lock included (force-unlock).
     *   <li>{@code lockId} equal to the exclusive holder's or to one plan holder's: releases that one.
     *   <li>{@code lockId} held by nobody while something is held: {@link UnlockResult.HeldBy} a
     *       holder, unchanged.
     *   <li>Nothing held, or no such state: {@link UnlockResult.NotLocked}.
     * </ul>
     *
     * @param released the event of the release (null: none): for each lock released, {@code
     *     released.forReleasedLock(lock.id())} is appended in the same transaction, as by {@link
     *     MetadataStore#appendAudit}; the store calls back into nothing
     */
    UnlockResult unlock(StateKey key, String lockId, AuditEvent released);

    /**
     * Releases the plan lock {@code lockId} and nothing else (what a reader may release): {@link
     * UnlockResult.Released} with it, or {@link UnlockResult.NotLocked} when no plan lock has that ID
     * (whatever else is held, an exclusive lock under that very ID included). The event as by
     * {@link #unlock(StateKey, String, AuditEvent)}.
     */
    UnlockResult unlockPlanLock(StateKey key, String lockId, AuditEvent released);

    /** {@link #unlock(StateKey, String, AuditEvent)} without an audit event. */
    default UnlockResult unlock(StateKey key, String lockId) {
        return unlock(key, lockId, null);
    }

    /** The exclusive lock, if held (plan locks are not: {@link #findLocks}). */
    Optional<LockRecord> findLock(StateKey key);

    /** Every holder: the exclusive one, or the plan holders oldest first; empty when nothing is held. */
    List<LockRecord> findLocks(StateKey key);

    // ---- freezes ------------------------------------------------------------------------------

    /**
     * Puts a freeze on its state (or its project, {@code state} null), replacing the one there;
     * {@link dev.statefort.core.model.ProjectNotFoundException} when the project does not exist.
     * Times are kept to the millisecond.
     */
    void freeze(Freeze freeze);

    /** Lifts the freeze of a state ({@code state} null: of the project); false if there was none. */
    boolean unfreeze(String project, String state);

    /** The project's freezes (its own first, then its states' by name), ended ones included. */
    List<Freeze> listFreezes(String project);

    /** The freeze in force on the state at {@code now}: its own, else its project's. */
    Optional<Freeze> findFreeze(StateKey key, Instant now);

    // ---- lock expiry --------------------------------------------------------------------------

    /**
     * Releases the lock if it is held under {@code lockId} and its last activity is before {@code
     * idleBefore}. An exclusive lock is recorded as the state's fenced lock (its ID and LockInfo), so
     * later writes carrying that ID get {@link CommitResult.Fenced}; a plan lock, which never writes,
     * is only released. One atomic conditional write; false if no lock is held under that ID or it
     * is not idle long enough.
     */
    boolean expireLock(StateKey key, String lockId, Instant idleBefore);

    // ---- stale locks --------------------------------------------------------------------------

    /**
     * Held locks (exclusive and plan) idle since before {@code idleBefore} whose stale event has
     * not been raised, oldest activity first, at most {@code limit}.
     */
    java.util.List<dev.statefort.core.model.IdleLock> findIdleLocks(Instant idleBefore, int limit);

    /**
     * Marks the lock held under {@code lockId} as reported stale if it is still held, idle since
     * before {@code idleBefore} and not marked yet, appending {@code event} in the same transaction:
     * one conditional write, so of several nodes sweeping at once exactly one raises the event.
     * Once per lock: a lock stays marked until it is released.
     */
    boolean markLockStale(StateKey key, String lockId, Instant idleBefore, AuditEvent event);
}
