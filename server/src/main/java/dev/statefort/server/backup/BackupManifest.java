package dev.statefort.server.backup;

import java.util.Map;

/**
 * What a backup holds: its format, when it was taken, the database it came from and its schema
 * version, the row count of each table, and the SHA-256 of every entry but the manifest itself.
 *
 * @param database {@code sqlite} or {@code postgresql}
 * @param entries every entry's path and SHA-256 (hex)
 */
public record BackupManifest(
        String format,
        int formatVersion,
        String createdAt,
        String database,
        int schemaVersion,
        Map<String, Long> rows,
        long blobs,
        long blobBytes,
        Map<String, String> entries,
        String note) {
    static final String NOTE = "Holds no master key: start a restored node with the master key of the node"
            + " that wrote these states (--master-key-file or STATEFORT_MASTER_KEY).";
}
