package dev.statefort.core.surgery;

import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.StateKey;
import java.util.List;

/** What a state surgery did, or would do (a dry run). */
public sealed interface SurgeryOutcome {
    /**
     * Each state the operations change, with its new version (the version numbers are null on a dry
     * run, and {@code findings} what the destructive-write guard says of the change).
     */
    record Done(boolean dryRun, List<StateChange> states) implements SurgeryOutcome {}

    /** {@code state} is locked by someone else (423): nothing was written. */
    record Locked(StateKey state, LockRecord holder) implements SurgeryOutcome {}

    /** The destructive-write guard refused {@code state}'s part (409): nothing was written. */
    record Refused(StateKey state, List<String> findings) implements SurgeryOutcome {}

    /**
     * One state's change.
     *
     * @param fromVersion the version operated on
     * @param toVersion the new version, or null on a dry run
     * @param serial the new serial (the old one plus one; the lineage is kept)
     * @param removed instance addresses no longer in it
     * @param added instance addresses new in it
     * @param findings what the destructive-write guard finds in the change (empty: nothing)
     */
    record StateChange(
            StateKey key,
            long fromVersion,
            Long toVersion,
            long serial,
            List<String> removed,
            List<String> added,
            List<String> findings) {}
}
