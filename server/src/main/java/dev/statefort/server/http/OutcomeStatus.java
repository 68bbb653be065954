package dev.statefort.server.http;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.state.WriteOutcome;

/**
 * The one mapping from what a write, lock, unlock or delete did to the HTTP status the backend,
 * the REST API and the UI answer it with. A surface chooses only its body (the holder's LockInfo
 * for Terraform, an error object for the API, a page for the UI) and, for a success, its own
 * success code (the API's 201 and 204).
 */
public final class OutcomeStatus {
    public static final int OK = 200;
    /** Another ID holds the lock, or the writer's own lock expired (fenced): Terraform shows the holder. */
    public static final int LOCKED = 423;
    /** The destructive-write guard quarantined the write; an UNLOCK naming another lock ID. */
    public static final int CONFLICT = 409;

    public static final int NOT_FOUND = 404;

    private OutcomeStatus() {}

    public static int of(WriteOutcome outcome) {
        return switch (outcome) {
            case WriteOutcome.Written w -> OK;
            case WriteOutcome.Locked l -> LOCKED;
            case WriteOutcome.Fenced f -> LOCKED;
            case WriteOutcome.PlanLockOnly p -> CONFLICT;
            case WriteOutcome.Refused r -> CONFLICT;
        };
    }

    /** A promoted quarantined write: the store's commit, judged as a write's. */
    public static int of(dev.statefort.core.surgery.SurgeryOutcome outcome) {
        return switch (outcome) {
            case dev.statefort.core.surgery.SurgeryOutcome.Done d -> OK;
            case dev.statefort.core.surgery.SurgeryOutcome.Locked l -> LOCKED;
            case dev.statefort.core.surgery.SurgeryOutcome.Refused r -> CONFLICT;
        };
    }

    public static int of(CommitResult result) {
        return switch (result) {
            case CommitResult.Committed c -> OK;
            case CommitResult.LockedBy l -> LOCKED;
            case CommitResult.Fenced f -> LOCKED;
        };
    }

    public static int of(LockResult result) {
        return switch (result) {
            case LockResult.Acquired a -> OK;
            case LockResult.HeldBy h -> LOCKED;
        };
    }

    /** Nothing held is a success: the client's UNLOCK after a lost response must not fail. */
    public static int of(UnlockResult result) {
        return switch (result) {
            case UnlockResult.Released r -> OK;
            case UnlockResult.NotLocked n -> OK;
            case UnlockResult.Frozen f -> LOCKED;
            case UnlockResult.HeldBy h -> CONFLICT;
        };
    }

    public static int of(DeleteResult result) {
        return switch (result) {
            case DeleteResult.Deleted d -> OK;
            case DeleteResult.NotFound n -> NOT_FOUND;
            case DeleteResult.LockedBy l -> LOCKED;
        };
    }
}
