package dev.statefort.server.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.io.Digests;
import dev.statefort.store.jdbc.DatabaseSnapshots;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads a backup file: entry by entry, and {@link #verify} against its manifest. */
public final class BackupReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest entry read into memory (a Java array's limit). */
    private static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 8;

    /**
     * What {@link #verify} found: no problems means every entry is there once with its checksum, every
     * table has the manifest's row count, and every blob the tables refer to is present.
     *
     * @param tables the file's tables, read
     */
    public record Verification(
            BackupManifest manifest, List<String> problems, Map<String, DatabaseSnapshots.Table> tables) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Receives each entry but the manifest, in the file's order. */
    @FunctionalInterface
    interface EntryHandler {
        void entry(String name, byte[] content) throws IOException;
    }

    private final Path file;

    public BackupReader(Path file) {
        this.file = file;
    }

    /** Checks the file against its manifest (see {@link Verification}). */
    public Verification verify() throws IOException {
        Map<String, String> seen = new HashMap<>();
        Map<String, DatabaseSnapshots.Table> tables = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        BackupManifest manifest = read((name, content) -> {
            if (seen.put(name, Digests.sha256Hex(content)) != null) {
                problems.add(name + " is in the file twice");
            }
            if (name.startsWith(BackupLayout.DB) && name.endsWith(BackupLayout.TABLE_SUFFIX)) {
                String table =
                        name.substring(BackupLayout.DB.length(), name.length() - BackupLayout.TABLE_SUFFIX.length());
                tables.put(table, TableCodec.read(content, name));
            }
        });
        if (manifest == null) {
            problems.add("there is no " + BackupLayout.MANIFEST + ": the file is not a whole Statefort backup");
            return new Verification(null, problems, tables);
        }
        if (!BackupLayout.FORMAT.equals(manifest.format()) || manifest.formatVersion() != BackupLayout.FORMAT_VERSION) {
            problems.add("it is not a Statefort backup of format version " + BackupLayout.FORMAT_VERSION + " ('"
                    + manifest.format() + "' " + manifest.formatVersion() + ")");
            return new Verification(manifest, problems, tables);
        }
        manifest.entries().forEach((name, sha) -> {
            String actual = seen.get(name);
            if (actual == null) {
                problems.add(name + " is missing");
            } else if (!actual.equals(sha)) {
                problems.add(name + " does not match its checksum");
            }
        });
        seen.keySet().stream()
                .filter(name -> !manifest.entries().containsKey(name))
                .forEach(name -> problems.add(name + " is not in the manifest"));
        manifest.rows().forEach((table, count) -> {
            DatabaseSnapshots.Table read = tables.get(table);
            if (read != null && read.rows().size() != count) {
                problems.add("table " + table + " has " + read.rows().size() + " rows, the manifest says " + count);
            }
        });
        for (String table : DatabaseSnapshots.TABLES) {
            if (!tables.containsKey(table)) {
                problems.add("table " + table + " is missing");
            }
        }
        SnapshotTables.blobKeys(tables).stream()
                .filter(k -> !seen.containsKey(BackupLayout.blob(k)))
                .forEach(k -> problems.add("blob " + k + " is referred to but not in the backup"));
        return new Verification(manifest, problems, tables);
    }

    /** Hands every entry but the manifest to {@code handler}; returns the manifest (null if absent). */
    BackupManifest read(EntryHandler handler) throws IOException {
        BackupManifest manifest = null;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) {
                    continue;
                }
                if (entry.getSize() > MAX_ENTRY_BYTES) {
                    throw new IOException(entry.getName() + " is larger than any entry a backup writes");
                }
                byte[] content = tar.readAllBytes();
                if (entry.getName().equals(BackupLayout.MANIFEST)) {
                    manifest = JSON.readValue(content, BackupManifest.class);
                } else {
                    handler.entry(entry.getName(), content);
                }
            }
        }
        return manifest;
    }
}
