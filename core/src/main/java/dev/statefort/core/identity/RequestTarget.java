package dev.statefort.core.identity;

import dev.statefort.core.model.StateKey;

/**
 * What a request acts on, as far as an OIDC ID token is concerned: the project its path names (a
 * token grants there and nowhere else), the state if the path names one, and which of the requests
 * Terraform makes under a lock it is (what an expired token may still do under the lock it took).
 *
 * @param project null when the path names no project
 * @param state null when the path names no state
 * @param underLock the lock use, {@link LockUse#NONE} for anything else
 * @param lockId the {@code ?ID=} of a write, or null
 */
public record RequestTarget(String project, String state, LockUse underLock, String lockId) {

    /** The requests an apply makes while it holds its lock. */
    public enum LockUse {
        /** Not one of them. */
        NONE,
        /** GET of the state. */
        READ,
        /** POST of the state with {@code ?ID=}. */
        WRITE,
        /** UNLOCK of the state. */
        UNLOCK,
        /**
         * A TFE client's request under the workspace lock it took (a state version declared, its
         * reads, the unlock): it carries no lock ID, so the lock bound to the token is the one.
         */
        WORKSPACE
    }

    public static RequestTarget none() {
        return new RequestTarget(null, null, LockUse.NONE, null);
    }

    public static RequestTarget project(String project) {
        return new RequestTarget(project, null, LockUse.NONE, null);
    }

    public static RequestTarget state(StateKey key, LockUse use, String lockId) {
        return new RequestTarget(key.project(), key.name(), use, lockId);
    }

    public StateKey stateKey() {
        return project == null || state == null ? null : new StateKey(project, state);
    }
}
