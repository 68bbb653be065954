package dev.statefort.core.testing;

import dev.statefort.core.audit.AuditEvent;
import dev.statefort.core.audit.AuditQuery;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/** {@link InMemoryMetadataStore}'s audit log: events by ID (time-ordered), read newest first. */
final class InMemoryAudit {
    private final TreeMap<String, AuditEvent> audit = new TreeMap<>();

    synchronized AuditEvent appendAudit(AuditEvent event) {
        Objects.requireNonNull(event.outcome(), "outcome");
        Instant at = millis(event.at());
        String id = AuditEvent.newId(at);
        AuditEvent stored = event.stored(id, at);
        audit.put(id, stored);
        return stored;
    }

    synchronized List<AuditEvent> listAudit(AuditQuery query) {
        var older = query.beforeId() == null
                ? audit.descendingMap()
                : audit.headMap(query.beforeId(), false).descendingMap();
        List<AuditEvent> out = new ArrayList<>();
        for (AuditEvent e : older.values()) {
            if (out.size() == query.limit()) {
                break;
            }
            if (query.matches(e)) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    private static Instant millis(Instant t) {
        return Objects.requireNonNull(t, "time").truncatedTo(ChronoUnit.MILLIS);
    }
}
