package dev.statefort.core.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.insight.StateDiff;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.MetadataStore;
import java.io.IOException;
import java.util.Optional;

/**
 * What a {@code state.written} event adds when it is sent: the version's serial, size and writer and
 * how many resource instances it added, changed and removed against the version before. Worked out
 * on the sender's thread (the analysis pool, bounded and cached by weight), never on the write's
 * request; left out when a version is gone or cannot be analysed.
 */
public final class WrittenCounts {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Who reads the versions: the sender, which may read every state and do nothing else. */
    private static final Principal READER =
            new Principal("system:webhooks", dev.statefort.core.model.Permission.READ, java.util.Map.of(), null);

    private final MetadataStore metadata;
    private final VersionInsight insight;

    public WrittenCounts(MetadataStore metadata, VersionInsight insight) {
        this.metadata = metadata;
        this.insight = insight;
    }

    /** The extra data of {@code e}, or null when it is not a write of a known version. */
    public ObjectNode of(AuditEvent e) {
        if (!EventTypes.STATE_WRITTEN.equals(EventTypes.of(e)) || e.version() == null || e.state() == null) {
            return null;
        }
        StateKey key = new StateKey(e.project(), e.state());
        Optional<VersionRecord> written = metadata.findVersion(key, e.version());
        if (written.isEmpty()) {
            return null;
        }
        VersionRecord v = written.get();
        ObjectNode extra = JSON.createObjectNode();
        if (v.serial() != null) {
            extra.put("serial", v.serial());
        }
        extra.put("size", v.size());
        extra.put("writer", v.principal());
        ObjectNode resources = resources(key, v);
        if (resources != null) {
            extra.set("resources", resources);
        }
        return extra;
    }

    private ObjectNode resources(StateKey key, VersionRecord v) {
        try {
            Optional<VersionRecord> before =
                    v.number() > 1 ? metadata.findVersion(key, v.number() - 1) : Optional.empty();
            ObjectNode counts = JSON.createObjectNode();
            if (before.isEmpty()) {
                if (v.number() > 1 || v.resourceCount() == null) {
                    return null; // the version before was pruned: no honest count
                }
                counts.put("added", v.resourceCount());
                counts.put("changed", 0);
                counts.put("removed", 0);
                return counts;
            }
            Optional<StateDiff.Result> diff =
                    insight.diff(READER, key, before.get().number(), v.number());
            if (diff.isEmpty() || diff.get().truncated()) {
                return null;
            }
            counts.put("added", diff.get().resourcesAdded().size());
            counts.put("changed", diff.get().resourcesChanged().size());
            counts.put("removed", diff.get().resourcesRemoved().size());
            return counts;
        } catch (IOException | RuntimeException e) {
            return null; // too large, unreadable, the pool busy: the event goes without counts
        }
    }
}
