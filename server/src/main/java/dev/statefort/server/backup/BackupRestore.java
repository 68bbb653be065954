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
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code statefort restore}: a backup into a new deployment, in phases so that a refusal touches
 * nothing and a failure leaves nothing behind:
 *
 * <ol>
 *   <li>the file is verified (every checksum) and its tables read;
 *   <li>the target is checked: its data directory empty, every project's storage profile
 *       configured, and none of the backup's blobs already in those profiles (never the storage of
 *       a running deployment, whose blobs the restored node would later prune);
 *   <li>the blobs are written (nothing refers to them yet);
 *   <li>the database is migrated and loaded in one transaction (refused unless it is empty and
 *       has the backup's schema version).
 * </ol>
 *
 * On a failure after the checks of the data directory, what this restore put there is removed.
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
     * @throws BackupRefusedException when the file does not verify or the target is not a new, empty
     *     one with the profiles the backup's projects name
     */
    public Summary restore(Path file) throws IOException {
        boolean createdDataDir = requireEmptyDataDir(target.dataDir());
        BackupReader reader = new BackupReader(file);
        BackupReader.Verification verification = reader.verify();
        if (!verification.ok()) {
            throw new BackupRefusedException(
                    "the backup " + file + " does not verify: " + String.join("; ", verification.problems()));
        }
        Map<String, DatabaseSnapshots.Table> tables = verification.tables();
        Map<String, String> storageOf = storageOf(tables.get("projects"));
        try (StorageProfiles profiles = Stores.openProfilesOnly(target)) {
            BlobStore store = profiles.routedBy(project -> Optional.ofNullable(storageOf.get(project)));
            try {
                for (String key : SnapshotTables.blobKeys(tables)) {
                    if (store.exists(key)) {
                        throw new BackupRefusedException("the target storage already holds blob " + key
                                + " (profile '" + storageOf.get(key.substring(0, key.indexOf('/')))
                                + "'): restore into an empty bucket or prefix, never the one a running deployment"
                                + " uses (after a failed restore, empty it)");
                    }
                }
                Files.createDirectories(target.dataDir());
                trySetPrivate(target.dataDir());
                long[] written = {0};
                reader.read((name, content) -> {
                    if (name.startsWith(BackupLayout.BLOBS)) {
                        store.put(name.substring(BackupLayout.BLOBS.length()), new ByteArrayInputStream(content));
                        written[0]++;
                    }
                });
                load(verification.manifest(), tables);
                return new Summary(verification.manifest().rows(), written[0]);
            } catch (IOException | RuntimeException e) {
                removeWhatThisRestoreMade(target.dataDir(), createdDataDir);
                throw e;
            }
        }
    }

    private void load(BackupManifest manifest, Map<String, DatabaseSnapshots.Table> tables) throws IOException {
        Stores.migrate(target);
        try (Connection db =
                DatabaseSnapshots.connect(target.databaseUrl(), target.databaseUser(), target.databasePassword())) {
            DatabaseSnapshots.load(db, manifest.schemaVersion(), DatabaseSnapshots.Source.of(tables));
        } catch (IllegalStateException e) {
            throw new BackupRefusedException(e.getMessage(), e);
        } catch (SQLException e) {
            throw new IOException("loading the database failed: " + e.getMessage(), e);
        }
    }

    /** Each project's storage profile, checked to be configured here. */
    private Map<String, String> storageOf(DatabaseSnapshots.Table projects) {
        Map<String, String> storageOf = SnapshotTables.storageByProject(projects);
        storageOf.forEach((project, profile) -> {
            if (target.storage().find(profile).isEmpty()) {
                throw new BackupRefusedException("project " + project + " keeps its states on storage profile '"
                        + profile + "', which is not configured here; set storage." + profile
                        + ".* to a new, empty bucket or prefix");
            }
        });
        return storageOf;
    }

    /** True when the directory does not exist yet (this restore creates it); refuses a non-empty one. */
    private static boolean requireEmptyDataDir(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            throw new BackupRefusedException(dir + " is not a directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new BackupRefusedException(
                        "the data directory " + dir + " is not empty; restore only into a new, empty one");
            }
        }
        return false;
    }

    /** The data directory was empty (or absent) before: everything in it now is this restore's. */
    private static void removeWhatThisRestoreMade(Path dir, boolean createdIt) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (createdIt || !p.equals(dir)) {
                    Files.deleteIfExists(p);
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
