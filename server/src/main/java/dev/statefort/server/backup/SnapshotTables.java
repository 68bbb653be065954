package dev.statefort.server.backup;

import dev.statefort.core.spi.BlobKeys;
import dev.statefort.store.jdbc.DatabaseSnapshots;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What backup, verify and restore read from a snapshot's tables. */
final class SnapshotTables {
    /** The tables whose rows refer to a blob ({@code blob_key}). */
    static final List<String> WITH_BLOBS = List.of("versions", "quarantine");

    private SnapshotTables() {}

    /**
     * Every blob key the versions and quarantined writes refer to that is kept on a storage profile,
     * each once (absent tables: none); a small blob kept in the database is a row of the snapshot's
     * {@code small_blobs} table instead.
     */
    static Set<String> blobKeys(Map<String, DatabaseSnapshots.Table> tables) {
        Set<String> keys = new LinkedHashSet<>();
        for (String name : WITH_BLOBS) {
            DatabaseSnapshots.Table table = tables.get(name);
            if (table != null) {
                int key = table.column("blob_key");
                table.rows().stream()
                        .map(row -> (String) row[key])
                        .filter(blobKey -> !BlobKeys.isInDatabase(blobKey))
                        .forEach(keys::add);
            }
        }
        return keys;
    }

    /** Each project's storage profile, from the {@code projects} table. */
    static Map<String, String> storageByProject(DatabaseSnapshots.Table projects) {
        Map<String, String> storage = new LinkedHashMap<>();
        int name = projects.column("name");
        int profile = projects.column("storage");
        projects.rows().forEach(row -> storage.put((String) row[name], (String) row[profile]));
        return storage;
    }
}
