package dev.statefort.core.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.state.StateService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * Writes a project's states, every version (or only the current ones) with its metadata and its
 * decrypted bytes, as a tar in the {@link ExportLayout}. The file holds the states' secrets in
 * clear: whoever runs it is told so.
 */
public final class StateExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateService states;
    private final Clock clock;

    public StateExport(StateService states, Clock clock) {
        this.states = states;
        this.clock = clock;
    }

    /** What was written. */
    public record Summary(int states, int versions, long bytes) {}

    /**
     * Writes the export of {@code project} to {@code out} (not closed).
     *
     * @throws dev.statefort.core.model.ProjectNotFoundException when the project does not exist
     */
    public Summary write(Principal actor, String project, boolean currentOnly, OutputStream out) throws IOException {
        List<StateRecord> found = states.states(actor, project);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(CloseShieldOutputStream.wrap(out), "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", ExportLayout.FORMAT);
        manifest.put("formatVersion", ExportLayout.FORMAT_VERSION);
        manifest.put("project", project);
        manifest.put("exportedAt", clock.instant().toString());
        manifest.put("currentOnly", currentOnly);
        putBytes(tar, ExportLayout.MANIFEST, JSON.writeValueAsBytes(manifest));
        int versions = 0;
        long bytes = 0;
        for (StateRecord state : found) {
            for (VersionRecord v : versionsOf(actor, state.key(), currentOnly)) {
                putBytes(tar, ExportLayout.metadata(v.key().name(), v.number()), JSON.writeValueAsBytes(metadata(v)));
                TarArchiveEntry entry =
                        new TarArchiveEntry(ExportLayout.body(v.key().name(), v.number()));
                entry.setSize(v.size());
                entry.setModTime(v.createdAt().toEpochMilli());
                tar.putArchiveEntry(entry);
                try (InputStream content = states.content(v)) {
                    bytes += content.transferTo(tar);
                }
                tar.closeArchiveEntry(); // fails when the bytes read differ from the recorded size
                versions++;
            }
        }
        tar.finish();
        tar.close();
        return new Summary(found.size(), versions, bytes);
    }

    private List<VersionRecord> versionsOf(Principal actor, StateKey key, boolean currentOnly) {
        List<VersionRecord> newestFirst = new ArrayList<>();
        Long before = null;
        do {
            Page<VersionRecord> page =
                    states.versions(actor, key, new PageRequest(currentOnly ? 1 : PageRequest.MAX_LIMIT, before));
            newestFirst.addAll(page.items());
            before = currentOnly ? null : page.nextBefore();
        } while (before != null);
        return newestFirst.reversed();
    }

    private static Map<String, Object> metadata(VersionRecord v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", v.number());
        m.put("serial", v.serial());
        m.put("lineage", v.lineage());
        m.put("sha256", v.sha256());
        m.put("size", v.size());
        m.put("createdAt", v.createdAt().toString());
        m.put("principal", v.principal());
        m.put("lockId", v.lockId());
        m.put("operation", v.operation());
        m.put("terraformVersion", v.terraformVersion());
        m.put("flags", v.flags());
        return m;
    }

    private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
