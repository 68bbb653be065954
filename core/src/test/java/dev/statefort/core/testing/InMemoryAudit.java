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
    private final InMemoryWebhooks webhooks;

    InMemoryAudit(InMemoryWebhooks webhooks) {
        this.webhooks = webhooks;
    }

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
        webhooks.appended(stored);
        return stored;
    }

    synchronized java.util.Optional<AuditEvent> findAudit(String id) {
        return java.util.Optional.ofNullable(audit.get(id));
    }

    synchronized List<AuditEvent> all() {
        return List.copyOf(audit.values());
    }

    synchronized List<AuditEvent> listAuditAfter(String project, String afterId, int limit) {
        var newer = afterId == null ? audit : audit.tailMap(afterId, false);
        return newer.values().stream()
                .filter(e -> project.equals(e.project()))
                .limit(limit)
                .toList();
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
