package dev.statefort.server.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads a backup file: entry by entry, and {@link #verify} against its manifest. */
public final class BackupReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest entry read: a blob (a compressed state, at most the state size limit) or a table. */
    private static final long MAX_ENTRY_BYTES = 1L << 31;

    /** What {@link #verify} found: empty problems means every entry is there with its checksum. */
    public record Verification(BackupManifest manifest, List<String> problems) {
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

    /**
     * Checks the file against its manifest: every entry's SHA-256, no entry missing or extra, and
     * every blob the tables refer to present.
     */
    public Verification verify() throws IOException {
        Map<String, String> seen = new HashMap<>();
        List<String> referenced = new ArrayList<>();
        BackupManifest manifest = read((name, content) -> {
            seen.put(name, BackupWriter.sha256(content));
            if (name.equals(BackupLayout.table("versions")) || name.equals(BackupLayout.table("quarantine"))) {
                TableCodec.Table table = TableCodec.read(content, name);
                int key = table.column("blob_key");
                table.rows().forEach(row -> referenced.add((String) row[key]));
            }
        });
        List<String> problems = new ArrayList<>();
        if (manifest == null) {
            problems.add("there is no " + BackupLayout.MANIFEST + ": the file is not a whole Statefort backup");
            return new Verification(null, problems);
        }
        if (!BackupLayout.FORMAT.equals(manifest.format())) {
            problems.add("it is not a Statefort backup (format '" + manifest.format() + "')");
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
        referenced.stream()
                .filter(key -> !seen.containsKey(BackupLayout.blob(key)))
                .forEach(key -> problems.add("blob " + key + " is referred to but not in the backup"));
        return new Verification(manifest, problems);
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
