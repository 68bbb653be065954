package dev.statefort.core.model;

/** Outcome of {@code MetadataStore.tryLock}. */
public sealed interface LockResult {
    /** The lock is now held with the requested ID (newly taken, or already held by the same ID). */
    record Acquired(LockRecord lock) implements LockResult {}

    /** Another ID holds the lock; nothing changed. */
    record HeldBy(LockRecord holder) implements LockResult {}
}
