package dev.statefort.server.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code statefort backup}: one consistent snapshot of a running deployment. The database is read
 * in one transaction (writes go on meanwhile); then every blob the snapshot's versions and
 * quarantined writes refer to is copied as stored (encrypted). Versions written after the snapshot
 * are not in it; every version acknowledged before it is. The file is written beside the output
 * with mode 0600 and renamed into place when complete.
 */
public final class BackupWriter {
    /** What a backup holds. */
    public record Summary(Path file, Map<String, Long> rows, long blobs, long blobBytes) {}

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
     * @throws IllegalStateException when a storage move is in progress, or a blob the snapshot
     *     refers to was deleted after it (retention, a deleted version): run the backup again
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
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        Snapshot snapshot = new Snapshot(tar, entries, rows);
        int schemaVersion;
        try (Connection db =
                DatabaseSnapshots.connect(config.databaseUrl(), config.databaseUser(), config.databasePassword())) {
            schemaVersion = DatabaseSnapshots.read(db, snapshot);
            snapshot.finishTable();
        } catch (SQLException e) {
            throw new IOException("reading the database failed: " + e.getMessage(), e);
        }
        if (!snapshot.moving.isEmpty()) {
            throw new IllegalStateException("project " + snapshot.moving.getFirst()
                    + " is moving to another storage profile; back up once the move has finished");
        }
        long blobBytes = 0;
        try (StorageProfiles profiles = Stores.openProfilesOnly(config)) {
            BlobStore blobs = profiles.routedBy(project -> Optional.ofNullable(snapshot.storageOf.get(project)));
            for (String key : snapshot.blobKeys) {
                byte[] bytes;
                try (InputStream in = blobs.open(key)) {
                    bytes = in.readAllBytes();
                } catch (BlobNotFoundException e) {
                    throw new IllegalStateException("blob " + key + " was deleted after the snapshot was read"
                            + " (retention, or a version deleted meanwhile); run the backup again");
                }
                add(tar, entries, BackupLayout.blob(key), bytes);
                blobBytes += bytes.length;
            }
        }
        BackupManifest manifest = new BackupManifest(
                BackupLayout.FORMAT,
                BackupLayout.FORMAT_VERSION,
                clock.instant().toString(),
                config.databaseUrl().startsWith("jdbc:sqlite:") ? "sqlite" : "postgresql",
                schemaVersion,
                rows,
                snapshot.blobKeys.size(),
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
        return new Summary(target, rows, snapshot.blobKeys.size(), blobBytes);
    }

    static void add(TarArchiveOutputStream tar, Map<String, String> entries, String name, byte[] bytes)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0600);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
        entries.put(name, sha256(bytes));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes each table as it is read, and notes the blobs and storage profiles it names. */
    private static final class Snapshot implements DatabaseSnapshots.Visitor {
        private final TarArchiveOutputStream tar;
        private final Map<String, String> entries;
        private final Map<String, Long> rows;
        final Set<String> blobKeys = new LinkedHashSet<>();
        final Map<String, String> storageOf = new LinkedHashMap<>();
        final List<String> moving = new ArrayList<>();
        private String table;
        private List<String> columns;
        private TableCodec.Writer writer;

        Snapshot(TarArchiveOutputStream tar, Map<String, String> entries, Map<String, Long> rows) {
            this.tar = tar;
            this.entries = entries;
            this.rows = rows;
        }

        @Override
        public void table(String name, List<String> columns) throws IOException {
            finishTable();
            this.table = name;
            this.columns = columns;
            this.writer = new TableCodec.Writer(columns);
        }

        @Override
        public void row(Object[] values) throws IOException {
            writer.row(values);
            switch (table) {
                case "versions", "quarantine" -> blobKeys.add((String) values[columns.indexOf("blob_key")]);
                case "projects" -> {
                    String project = (String) values[columns.indexOf("name")];
                    storageOf.put(project, (String) values[columns.indexOf("storage")]);
                    if (values[columns.indexOf("moving_to")] != null) {
                        moving.add(project);
                    }
                }
                default -> {}
            }
        }

        void finishTable() throws IOException {
            if (writer != null) {
                add(tar, entries, BackupLayout.table(table), writer.bytes());
                rows.put(table, writer.rows());
                writer = null;
            }
        }
    }
}
