package dev.statefort.server.backup;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.storage.StorageProfiles;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.Stores;
import dev.statefort.store.jdbc.DatabaseSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code statefort restore}: a backup into a new deployment. The target's data directory must be
 * empty (or not exist) and its database empty. The file is verified first; then the database is
 * loaded in one transaction and every blob written to the storage profile its project names.
 */
public final class BackupRestore {
    /** What was restored. */
    public record Summary(Map<String, Long> rows, long blobs) {}

    private final ServerConfig target;

    public BackupRestore(ServerConfig target) {
        this.target = target;
    }

    /**
     * Restores {@code file}.
     *
     * @throws IllegalStateException when the target is not empty, the file fails verification, or
     *     a project's storage profile is not configured on the target
     */
    public Summary restore(Path file) throws IOException {
        requireEmptyDataDir(target.dataDir());
        BackupReader reader = new BackupReader(file);
        BackupReader.Verification verification = reader.verify();
        if (!verification.ok()) {
            throw new IllegalStateException(
                    "the backup " + file + " does not verify: " + String.join("; ", verification.problems()));
        }
        BackupManifest manifest = verification.manifest();
        Files.createDirectories(target.dataDir());
        trySetPrivate(target.dataDir());
        Stores.migrate(target);

        Map<String, TableCodec.Table> tables = new HashMap<>();
        long[] blobs = {0};
        StorageProfiles[] profiles = {null};
        BlobStore[] store = {null};
        try {
            reader.read((name, content) -> {
                if (name.startsWith(BackupLayout.DB)) {
                    String table = name.substring(
                            BackupLayout.DB.length(), name.length() - BackupLayout.TABLE_SUFFIX.length());
                    tables.put(table, TableCodec.read(content, name));
                    return;
                }
                if (store[0] == null) {
                    // the tables come first: load them, then open the profiles their projects name
                    load(manifest, tables);
                    profiles[0] = Stores.openProfilesOnly(target);
                    store[0] = blobStoreFor(profiles[0], tables.get("projects"));
                }
                store[0].put(name.substring(BackupLayout.BLOBS.length()), new ByteArrayInputStream(content));
                blobs[0]++;
            });
            if (store[0] == null) {
                load(manifest, tables); // a backup without any blob
            }
        } finally {
            if (profiles[0] != null) {
                profiles[0].close();
            }
        }
        return new Summary(manifest.rows(), blobs[0]);
    }

    private void load(BackupManifest manifest, Map<String, TableCodec.Table> tables) throws IOException {
        for (String table : DatabaseSnapshots.TABLES) {
            if (!tables.containsKey(table)) {
                throw new IllegalStateException("the backup has no table " + table);
            }
        }
        requireProfiles(tables.get("projects"));
        try (Connection db =
                DatabaseSnapshots.connect(target.databaseUrl(), target.databaseUser(), target.databasePassword())) {
            DatabaseSnapshots.load(db, manifest.schemaVersion(), new DatabaseSnapshots.Source() {
                @Override
                public List<String> columns(String table) {
                    return tables.get(table).columns();
                }

                @Override
                public Iterator<Object[]> rows(String table) {
                    return tables.get(table).rows().iterator();
                }
            });
        } catch (SQLException e) {
            throw new IOException("loading the database failed: " + e.getMessage(), e);
        }
    }

    private void requireProfiles(TableCodec.Table projects) {
        int name = projects.column("name");
        int storage = projects.column("storage");
        for (Object[] row : projects.rows()) {
            if (target.storage().find((String) row[storage]).isEmpty()) {
                throw new IllegalStateException("project " + row[name] + " keeps its states on storage profile '"
                        + row[storage] + "', which is not configured here; set storage." + row[storage]
                        + ".* as on the node that was backed up");
            }
        }
    }

    private static BlobStore blobStoreFor(StorageProfiles profiles, TableCodec.Table projects) {
        Map<String, String> storageOf = new HashMap<>();
        int name = projects.column("name");
        int storage = projects.column("storage");
        projects.rows().forEach(row -> storageOf.put((String) row[name], (String) row[storage]));
        return profiles.routedBy(project -> Optional.ofNullable(storageOf.get(project)));
    }

    private static void requireEmptyDataDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(dir + " is not a directory");
            }
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(
                            "the data directory " + dir + " is not empty; restore only into a new, empty one");
                }
            }
        }
    }

    private static void trySetPrivate(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: its own permissions apply
        }
    }
}
