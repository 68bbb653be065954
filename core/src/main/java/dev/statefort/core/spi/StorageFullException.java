package dev.statefort.core.spi;

import java.sql.SQLException;
import java.util.Locale;

/**
 * The database or blob store has no space left (a full disk or quota): the change was not stored and
 * nothing already stored changed. Answered with 507 (no outage: it lasts until someone frees space;
 * Terraform still retries it as any 5xx); writes succeed again once there is space.
 */
public class StorageFullException extends StoreUnavailableException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code failure}, or a cause of it, says the disk or quota is full. */
    public static boolean isNoSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && ("53100".equals(sql.getSQLState()) // PostgreSQL: disk_full
                            || sql.getErrorCode() == 13)) { // SQLite: SQLITE_FULL
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("no space left on device")
                    || message.contains("disk quota exceeded")
                    || message.contains("sqlite_full")
                    || message.contains("database or disk is full")) {
                return true;
            }
        }
        return false;
    }

    /** {@code failure} as a {@link StorageFullException} when it says the space is gone, else as given. */
    public static StoreUnavailableException classify(String message, Throwable failure) {
        return isNoSpace(failure)
                ? new StorageFullException(message + ": no space left", failure)
                : new StoreUnavailableException(message, failure);
    }
}
