package dev.statefort.server.backup;

/** A backup or restore that cannot be done as asked; the message says why and what to do. */
public class BackupRefusedException extends RuntimeException {
    public BackupRefusedException(String message) {
        super(message);
    }

    public BackupRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The snapshot went out of date before its blobs were copied: taking it again succeeds. */
    public static final class SnapshotOutdated extends BackupRefusedException {
        public SnapshotOutdated(String message) {
            super(message);
        }
    }
}
