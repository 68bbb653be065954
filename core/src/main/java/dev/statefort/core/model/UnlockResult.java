package dev.statefort.core.model;

import java.util.List;

/** Outcome of {@code MetadataStore.unlock}. */
public sealed interface UnlockResult {
    /** The holders named (one, or every holder on a force-unlock) were held and are now released. */
    record Released(List<LockRecord> all) implements UnlockResult {
        public Released {
            if (all.isEmpty()) {
                throw new IllegalArgumentException("a release releases at least one holder");
            }
            all = List.copyOf(all);
        }

        public Released(LockRecord released) {
            this(List.of(released));
        }

        /** The first holder released (the only one, unless a force-unlock released several plan locks). */
        public LockRecord released() {
            return all.get(0);
        }
    }

    /** Nothing was held (also when the state does not exist). */
    record NotLocked() implements UnlockResult {}

    /** Nothing was held but a freeze is in force, which no UNLOCK lifts: {@code shown} is what the client sees (423). */
    record Frozen(LockRecord shown) implements UnlockResult {}

    /** Another ID holds the lock; nothing changed. */
    record HeldBy(LockRecord holder) implements UnlockResult {}
}
