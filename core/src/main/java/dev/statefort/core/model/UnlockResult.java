package dev.statefort.core.model;

/** Outcome of {@code MetadataStore.unlock}. */
public sealed interface UnlockResult {
    /** The lock was held and is now released. */
    record Released(LockRecord released) implements UnlockResult {}

    /** Nothing was held (also when the state does not exist). */
    record NotLocked() implements UnlockResult {}

    /** Another ID holds the lock; nothing changed. */
    record HeldBy(LockRecord holder) implements UnlockResult {}
}
