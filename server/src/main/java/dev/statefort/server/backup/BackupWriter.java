package dev.statefort.server.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.io.Digests;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.storage.StorageProfiles;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.wiring.Stores;
import dev.statefort.store.jdbc.DatabaseSnapshots;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code statefort backup}: one consistent snapshot of a running deployment. The database is read
 * in one transaction (writes go on meanwhile); then every blob the snapshot's versions and
 * quarantined writes refer to is copied as stored (encrypted). A blob that retention (or a deleted
 * version) removed after the snapshot was read leaves its row out, since the live database no longer
 * has it either; a missing blob the database still refers to fails the backup. Versions written
 * after the snapshot are not in it; every version acknowledged before it is, unless it was pruned
 * meanwhile. The file is written beside the output with mode 0600 and renamed into place when
 * complete.
 */
public final class BackupWriter {
    /** What a backup holds. */
    public record Summary(Path file, Map<String, Long> rows, long blobs, long blobBytes, long prunedMeanwhile) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerConfig config;
    private final Clock clock;

    public BackupWriter(ServerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * Writes the backup to {@code output}.
     *
     * @throws BackupRefusedException when a storage move is in progress, or the database refers to
     *     a blob storage does not have
     * @throws BackupRefusedException.SnapshotOutdated when a state's current version was deleted
     *     after the snapshot: take it again
     */
    public Summary write(Path output) throws IOException {
        Path target = output.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Summary summary;
            try (OutputStream file = Files.newOutputStream(partial);
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(file, 1 << 16))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                summary = write(tar, target);
                tar.finish();
            }
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return summary;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    private Summary write(TarArchiveOutputStream tar, Path target) throws IOException {
        DatabaseSnapshots.Collector snapshot = new DatabaseSnapshots.Collector();
        Map<String, DatabaseSnapshots.Table> tables = snapshot.tables();
        int schemaVersion;
        try (Connection db = connect()) {
            schemaVersion = DatabaseSnapshots.read(db, snapshot);
        } catch (SQLException e) {
            throw new IOException("reading the database failed: " + e.getMessage(), e);
        }
        DatabaseSnapshots.Table projects = tables.get("projects");
        for (Object[] row : projects.rows()) {
            if (row[projects.column("moving_to")] != null) {
                throw new BackupRefusedException("project " + row[projects.column("name")]
                        + " is moving to another storage profile; back up once the move has finished");
            }
        }

        Map<String, String> entries = new LinkedHashMap<>();
        Set<String> gone = new HashSet<>();
        long blobs = 0;
        long blobBytes = 0;
        Map<String, String> storageOf = SnapshotTables.storageByProject(projects);
        try (StorageProfiles profiles = Stores.openProfilesOnly(config)) {
            BlobStore store = profiles.routedBy(project -> Optional.ofNullable(storageOf.get(project)));
            for (String key : SnapshotTables.blobKeys(tables)) {
                byte[] bytes;
                try (InputStream in = store.open(key)) {
                    bytes = in.readAllBytes();
                } catch (BlobNotFoundException e) {
                    requireGoneFromTheDatabase(key);
                    gone.add(key);
                    continue;
                }
                add(tar, entries, BackupLayout.blob(key), bytes);
                blobs++;
                blobBytes += bytes.length;
            }
        }
        leaveOut(tables, gone);

        Map<String, Long> rows = new LinkedHashMap<>();
        for (Map.Entry<String, DatabaseSnapshots.Table> table : tables.entrySet()) {
            TableCodec.Writer writer = new TableCodec.Writer(table.getValue().columns());
            for (Object[] row : table.getValue().rows()) {
                writer.row(row);
            }
            add(tar, entries, BackupLayout.table(table.getKey()), writer.bytes());
            rows.put(table.getKey(), writer.rows());
        }
        BackupManifest manifest = new BackupManifest(
                BackupLayout.FORMAT,
                BackupLayout.FORMAT_VERSION,
                clock.instant().toString(),
                config.databaseUrl().startsWith("jdbc:sqlite:") ? "sqlite" : "postgresql",
                schemaVersion,
                rows,
                blobs,
                blobBytes,
                entries,
                BackupManifest.NOTE);
        byte[] manifestBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        TarArchiveEntry entry = new TarArchiveEntry(BackupLayout.MANIFEST);
        entry.setSize(manifestBytes.length);
        entry.setMode(0600);
        tar.putArchiveEntry(entry);
        tar.write(manifestBytes);
        tar.closeArchiveEntry();
        return new Summary(target, rows, blobs, blobBytes, gone.size());
    }

    /**
     * Removes the rows whose blob was deleted after the snapshot; a state's current version among
     * them means the state itself was deleted meanwhile, and the snapshot is taken again.
     */
    private static void leaveOut(Map<String, DatabaseSnapshots.Table> tables, Set<String> gone) {
        if (gone.isEmpty()) {
            return;
        }
        DatabaseSnapshots.Table versions = tables.get("versions");
        DatabaseSnapshots.Table states = tables.get("states");
        Set<String> heads = new HashSet<>();
        for (Object[] state : states.rows()) {
            heads.add(state[states.column("project")] + "/" + state[states.column("name")] + "#"
                    + state[states.column("head_version")]);
        }
        for (Object[] v : versions.rows()) {
            String id = v[versions.column("project")] + "/" + v[versions.column("state")] + "#"
                    + v[versions.column("number")];
            if (gone.contains((String) v[versions.column("blob_key")]) && heads.contains(id)) {
                throw new BackupRefusedException.SnapshotOutdated("the current version of " + id
                        + " was deleted after the snapshot was read; run the backup" + " again");
            }
        }
        for (String name : SnapshotTables.WITH_BLOBS) {
            DatabaseSnapshots.Table table = tables.get(name);
            int key = table.column("blob_key");
            List<Object[]> kept = new ArrayList<>(table.rows());
            kept.removeIf(row -> gone.contains((String) row[key]));
            tables.put(name, new DatabaseSnapshots.Table(table.columns(), kept));
        }
    }

    /** A missing blob is only fine when the live database no longer refers to it either. */
    private void requireGoneFromTheDatabase(String key) throws IOException {
        try (Connection db = connect();
                PreparedStatement still = db.prepareStatement(
                        "SELECT 1 FROM versions WHERE blob_key = ? UNION ALL SELECT 1 FROM quarantine WHERE blob_key = ?")) {
            still.setString(1, key);
            still.setString(2, key);
            try (ResultSet rs = still.executeQuery()) {
                if (rs.next()) {
                    throw new BackupRefusedException("blob " + key + " is missing from storage but the database"
                            + " still refers to it; the deployment has lost a blob (see docs/operations.md)");
                }
            }
        } catch (SQLException e) {
            throw new IOException("checking blob " + key + " in the database failed: " + e.getMessage(), e);
        }
    }

    private Connection connect() {
        return DatabaseSnapshots.connect(config.databaseUrl(), config.databaseUser(), config.databasePassword());
    }

    static void add(TarArchiveOutputStream tar, Map<String, String> entries, String name, byte[] bytes)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0600);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
        entries.put(name, Digests.sha256Hex(bytes));
    }
}
