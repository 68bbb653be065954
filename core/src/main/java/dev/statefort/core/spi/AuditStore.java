package dev.statefort.core.spi;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import java.util.List;

/**
 * The audit log. One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 */
public interface AuditStore {
    // ---- audit --------------------------------------------------------------------------------

    /**
     * Appends an event and returns it as stored: the store assigns {@link AuditEvent#id()} (the
     * given one is ignored) with {@link AuditEvent#newId}, so IDs compare (as strings) in time
     * order; the time is truncated to milliseconds. An event of a state always sorts after that
     * state's newest event: when its time would put it before (a node whose clock is behind), it
     * gets that event's time and the ID right after it ({@link AuditEvent#storedAfter}). Times
     * before 1970 are an IllegalArgumentException.
     */
    AuditEvent appendAudit(AuditEvent event);

    /**
     * Appends an event like {@link #appendAudit} but may return before it is durable (a crash may
     * lose it): for events no client waits for, such as a refused LOCK, so that they cost no
     * commit of their own. Events stay in the order they were appended; {@link #listAudit} sees
     * every event appended before it was called.
     */
    default void appendAuditLater(AuditEvent event) {
        appendAudit(event);
    }

    /**
     * Events newest first (by time, then ID), filtered and paged by {@code query}: each non-null
     * filter must match exactly; {@code beforeId} returns only events ordered after it.
     */
    List<AuditEvent> listAudit(AuditQuery query);

    /** One event by ID. */
    java.util.Optional<AuditEvent> findAudit(String id);

    /** The events of these IDs that are stored, by ID (one read for a batch of deliveries). */
    default java.util.Map<String, AuditEvent> findAudits(java.util.Collection<String> ids) {
        java.util.Map<String, AuditEvent> out = new java.util.HashMap<>();
        for (String id : ids) {
            findAudit(id).ifPresent(e -> out.put(id, e));
        }
        return out;
    }

    /**
     * The project's events with an ID after {@code afterId} (null: from the first), oldest first, at
     * most {@code limit}: what a live stream reads to catch up.
     */
    List<AuditEvent> listAuditAfter(String project, String afterId, int limit);
}
