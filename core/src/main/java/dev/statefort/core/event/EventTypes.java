package dev.statefort.core.event;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.model.AuditEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event catalogue: which recorded actions are events that webhooks and the live stream carry,
 * and under which type. An event is an audit event (same ID, same row, same transaction as the
 * change), so events are in the database in the order they happened per state; this class only
 * names them. The types are part of the product's interface: never rename one.
 */
public final class EventTypes {
    public static final String STATE_WRITTEN = "state.written";
    public static final String LOCK_ACQUIRED = "lock.acquired";
    public static final String LOCK_RELEASED = "lock.released";
    public static final String LOCK_FORCE_RELEASED = "lock.force-released";
    public static final String LOCK_STALE = "lock.stale";
    public static final String LOCK_EXPIRED = "lock.expired";
    public static final String GUARD_REFUSED = "guard.refused";
    public static final String GUARD_WARNED = "guard.warned";
    public static final String VERSION_RESTORED = "version.restored";
    public static final String SESSION_REVERTED = "session.reverted";
    public static final String STATE_DELETED = "state.deleted";
    public static final String PROTECTION_DENIED = "protection.denied";
    public static final String FREEZE_SET = "freeze.set";
    public static final String FREEZE_LIFTED = "freeze.lifted";
    /** Sent only to the one webhook asked to ping; never subscribed to. */
    public static final String PING = "webhook.ping";

    /** Audit action → event type, for actions that happened ({@code ok}), in catalogue order. */
    private static final Map<String, String> BY_ACTION = new LinkedHashMap<>();

    static {
        BY_ACTION.put(AuditAction.STATE_WRITE.wireName(), STATE_WRITTEN);
        BY_ACTION.put(AuditAction.LOCK_ACQUIRE.wireName(), LOCK_ACQUIRED);
        BY_ACTION.put(AuditAction.LOCK_RELEASE.wireName(), LOCK_RELEASED);
        BY_ACTION.put(AuditAction.LOCK_FORCE_UNLOCK.wireName(), LOCK_FORCE_RELEASED);
        BY_ACTION.put(AuditAction.LOCK_STALE.wireName(), LOCK_STALE);
        BY_ACTION.put(AuditAction.LOCK_EXPIRED.wireName(), LOCK_EXPIRED);
        BY_ACTION.put(AuditAction.STATE_WRITE_REFUSED.wireName(), GUARD_REFUSED);
        BY_ACTION.put(AuditAction.STATE_WRITE_FLAGGED.wireName(), GUARD_WARNED);
        BY_ACTION.put(AuditAction.VERSION_RESTORE.wireName(), VERSION_RESTORED);
        BY_ACTION.put(AuditAction.SESSION_REVERT.wireName(), SESSION_REVERTED);
        BY_ACTION.put(AuditAction.STATE_DELETE.wireName(), STATE_DELETED);
        BY_ACTION.put(AuditAction.PROTECTION_DENIED.wireName(), PROTECTION_DENIED);
        BY_ACTION.put(AuditAction.FREEZE_SET.wireName(), FREEZE_SET);
        BY_ACTION.put(AuditAction.FREEZE_LIFT.wireName(), FREEZE_LIFTED);
    }

    /** Every type a webhook may subscribe to, in catalogue order. */
    public static final List<String> ALL = List.copyOf(new java.util.LinkedHashSet<>(BY_ACTION.values()));

    private EventTypes() {}

    /**
     * The event type of a recorded action, or null when it is not an event: an action of a project
     * that happened ({@code ok}); a refused LOCK or write is not an event (a refusal the guard or a
     * protection rule makes is recorded as its own action, which is).
     */
    public static String of(AuditEvent e) {
        if (e.project() == null || !AuditEvent.OK.equals(e.outcome())) {
            return null;
        }
        return BY_ACTION.get(e.action());
    }

    /** Whether {@code type} is in the catalogue (what a webhook may subscribe to). */
    public static boolean known(String type) {
        return ALL.contains(type);
    }
}
