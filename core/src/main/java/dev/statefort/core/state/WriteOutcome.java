package dev.statefort.core.state;

import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.VersionRecord;

/** Outcome of {@link StateService#write}. */
public sealed interface WriteOutcome {
    /** Accepted; the version is now current. */
    record Written(VersionRecord version) implements WriteOutcome {}

    /** Locked under another ID (or locked and the write carried none); nothing was stored. */
    record Locked(LockRecord holder) implements WriteOutcome {}

    /**
     * The destructive-write guard (mode enforce) refused the write; it is kept as {@code
     * quarantined} for an admin to view, diff or promote.
     */
    record Refused(dev.statefort.core.model.QuarantineRecord quarantined) implements WriteOutcome {}

    /** The write carried the ID of a plan lock, which never allows a write (409); nothing was stored. */
    record PlanLockOnly(LockRecord planLock) implements WriteOutcome {
        /** What the client is told (the backend's text, the REST API's error message). */
        public String refusal() {
            return "lock " + planLock.id() + " is a plan lock (Operation OperationTypePlan): a plan lock does"
                    + " not allow writes. Take the exclusive lock (terraform apply) to write.";
        }
    }

    /** The write carried a lock ID that expired after inactivity; nothing was stored. */
    record Fenced(dev.statefort.core.model.LockInfo expired) implements WriteOutcome {}
}
