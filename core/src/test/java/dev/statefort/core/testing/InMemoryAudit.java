package dev.statefort.core.testing;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
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
        String last = event.state() == null
                ? null
                : audit.descendingMap().values().stream()
                        .filter(e -> event.state().equals(e.state()) && Objects.equals(event.project(), e.project()))
                        .map(AuditEvent::id)
                        .findFirst()
                        .orElse(null);
        AuditEvent stored = event.storedAfter(last);
        audit.put(stored.id(), stored);
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
