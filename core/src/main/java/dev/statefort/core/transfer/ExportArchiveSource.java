package dev.statefort.core.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The states of an export file ({@link ExportLayout}) under their own names, every version in its
 * order with its creation time.
 */
public final class ExportArchiveSource implements StateSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final TarFile tar;

    public ExportArchiveSource(Path file) throws IOException {
        this.file = file;
        try {
            this.tar = new TarFile(file);
        } catch (IOException e) {
            throw new IOException("cannot read the export " + file + ": " + e, e);
        }
    }

    @Override
    public String describe() {
        return "export " + file;
    }

    @Override
    public List<SourceState> states() throws IOException {
        Map<String, TarArchiveEntry> byName = new TreeMap<>();
        for (TarArchiveEntry e : tar.getEntries()) {
            byName.put(e.getName(), e);
        }
        TarArchiveEntry manifest = byName.get(ExportLayout.MANIFEST);
        if (manifest == null
                || !ExportLayout.FORMAT.equals(readJson(manifest).path("format").asText())) {
            throw new IOException(file + " is not a Statefort export (no " + ExportLayout.MANIFEST + " naming "
                    + ExportLayout.FORMAT + ")");
        }
        Map<String, List<TarArchiveEntry>> bodies = new TreeMap<>();
        for (TarArchiveEntry e : byName.values()) {
            String name = e.getName();
            if (name.startsWith(ExportLayout.STATES) && name.endsWith(ExportLayout.BODY)) {
                String rest = name.substring(ExportLayout.STATES.length());
                int slash = rest.indexOf('/');
                if (slash > 0) {
                    bodies.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>())
                            .add(e);
                }
            }
        }
        List<SourceState> states = new ArrayList<>();
        for (Map.Entry<String, List<TarArchiveEntry>> state : bodies.entrySet()) {
            List<TarArchiveEntry> entries = state.getValue();
            entries.sort(Comparator.comparingLong(ExportArchiveSource::number));
            List<SourceVersion> versions = new ArrayList<>();
            for (TarArchiveEntry body : entries) {
                long n = number(body);
                TarArchiveEntry meta = byName.get(ExportLayout.metadata(state.getKey(), n));
                Instant createdAt = meta == null ? null : createdAt(readJson(meta));
                versions.add(new SourceVersion(
                        "export " + state.getKey() + " v" + n, createdAt, () -> tar.getInputStream(body)));
            }
            states.add(SourceState.of(state.getKey(), "export " + state.getKey(), versions));
        }
        return states;
    }

    private static Instant createdAt(JsonNode meta) {
        String text = meta.path("createdAt").asText(null);
        return text == null ? null : Instant.parse(text);
    }

    private static long number(TarArchiveEntry body) {
        String name = body.getName();
        String file = name.substring(name.lastIndexOf('/') + 1, name.length() - ExportLayout.BODY.length());
        try {
            return Long.parseLong(file);
        } catch (NumberFormatException e) {
            throw new UncheckedIOException(new IOException("unexpected entry in the export: " + name));
        }
    }

    private JsonNode readJson(TarArchiveEntry entry) throws IOException {
        try (InputStream in = tar.getInputStream(entry)) {
            return JSON.readTree(in);
        }
    }

    @Override
    public void close() {
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
