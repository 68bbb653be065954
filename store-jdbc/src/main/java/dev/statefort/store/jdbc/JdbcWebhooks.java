package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.getLong;
import static dev.statefort.store.jdbc.Sql.millisOrNull;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.event.EventTypes;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Webhooks and their outbox ({@link dev.statefort.core.spi.WebhookStore}). Never puts a secret into a message. */
final class JdbcWebhooks {
    private static final String COLUMNS = "id, project, url, events, format, sealed_secret, created_at, created_by,"
            + " disabled_at, disabled_reason, failing_since";

    private static final String DELIVERY_COLUMNS = "webhook_id, event_id, event_type, created_at, status, attempts,"
            + " next_attempt_at, last_status, last_error, last_attempt_at";

    /** One pending delivery per enabled webhook of the event's project that receives its type. */
    private static final String FAN_OUT = "INSERT INTO webhook_deliveries"
            + " (webhook_id, event_id, event_type, created_at, status, attempts, next_attempt_at)"
            + " SELECT id, ?, ?, ?, 'PENDING', 0, ? FROM webhooks"
            + " WHERE project = ? AND disabled_at IS NULL AND (events LIKE ? OR events = ',*,')";

    private static final String DUE = "SELECT " + prefixed("d.", DELIVERY_COLUMNS) + " FROM webhook_deliveries d"
            + " JOIN webhooks w ON w.id = d.webhook_id"
            + " WHERE d.status = 'PENDING' AND d.next_attempt_at <= ? AND w.disabled_at IS NULL"
            + " AND (d.claimed_until IS NULL OR d.claimed_until < ?)"
            + " ORDER BY d.event_id, d.webhook_id LIMIT ?";

    private static final String CLAIM = "UPDATE webhook_deliveries SET claim = ?, claimed_until = ?"
            + " WHERE webhook_id = ? AND event_id = ? AND status = 'PENDING' AND next_attempt_at <= ?"
            + " AND (claimed_until IS NULL OR claimed_until < ?)";

    private static final String FINISH = "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1,"
            + " last_status = ?, last_error = ?, last_attempt_at = ?, next_attempt_at = ?, claim = NULL,"
            + " claimed_until = NULL WHERE webhook_id = ? AND event_id = ? AND claim = ?";

    private final Sql sql;
    private final JdbcHistory history;

    JdbcWebhooks(Sql sql, JdbcHistory history) {
        this.sql = sql;
        this.history = history;
    }

    /** Inside the transaction that appended {@code stored}: its deliveries, if it is an event. */
    static void fanOut(Connection c, AuditEvent stored) throws SQLException {
        String type = EventTypes.of(stored);
        if (type == null) {
            return;
        }
        update(c, FAN_OUT, stored.id(), type, stored.at(), stored.at(), stored.project(), "%," + type + ",%");
    }

    void create(Webhook w) {
        sql.write("create a webhook", c -> {
            JdbcCommits.requireProject(c, w.project());
            update(
                    c,
                    "INSERT INTO webhooks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    w.id(),
                    w.project(),
                    w.url(),
                    "," + String.join(",", w.events()) + ",",
                    w.format().name(),
                    w.sealedSecret(),
                    w.createdAt(),
                    w.createdBy(),
                    millisOrNull(w.disabledAt()),
                    w.disabledReason(),
                    millisOrNull(w.failingSince()));
            return null;
        });
    }

    List<Webhook> list(String project) {
        return webhooks("SELECT " + COLUMNS + " FROM webhooks WHERE project = ? ORDER BY created_at, id", project);
    }

    List<Webhook> listAll() {
        return webhooks("SELECT " + COLUMNS + " FROM webhooks ORDER BY id");
    }

    Optional<Webhook> find(String id) {
        List<Webhook> found = webhooks("SELECT " + COLUMNS + " FROM webhooks WHERE id = ?", id);
        return found.stream().findFirst();
    }

    boolean delete(String project, String id) {
        return sql.write("delete a webhook", c -> {
            update(
                    c,
                    "DELETE FROM webhook_deliveries WHERE webhook_id IN"
                            + " (SELECT id FROM webhooks WHERE id = ? AND project = ?)",
                    id,
                    project);
            return update(c, "DELETE FROM webhooks WHERE id = ? AND project = ?", id, project) == 1;
        });
    }

    boolean replaceSecret(String id, String expected, String replacement) {
        return sql.write(
                "replace a webhook secret",
                c -> update(
                                c,
                                "UPDATE webhooks SET sealed_secret = ? WHERE id = ? AND sealed_secret = ?",
                                replacement,
                                id,
                                expected)
                        == 1);
    }

    void succeeded(String id) {
        // callers ask only for a webhook they know is failing or disabled: one conditional write
        sql.write(
                "mark a webhook healthy",
                c -> update(
                        c,
                        "UPDATE webhooks SET failing_since = NULL, disabled_at = NULL, disabled_reason = NULL"
                                + " WHERE id = ? AND (failing_since IS NOT NULL OR disabled_at IS NOT NULL)",
                        id));
    }

    boolean failed(String id, Instant now, Instant disableIfFailingBefore, String reason) {
        // relaxed: a failure mark lost in a power failure only delays disabling the webhook
        return sql.writeRelaxed("mark a webhook failing", c -> {
            update(c, "UPDATE webhooks SET failing_since = ? WHERE id = ? AND failing_since IS NULL", now, id);
            return update(
                            c,
                            "UPDATE webhooks SET disabled_at = ?, disabled_reason = ?"
                                    + " WHERE id = ? AND disabled_at IS NULL AND failing_since <= ?",
                            now,
                            reason,
                            id,
                            disableIfFailingBefore)
                    == 1;
        });
    }

    Optional<AuditEvent> appendAuditFor(String webhookId, String type, AuditEvent event) {
        return sql.write("append an event for one webhook", c -> {
            try (BoundStatement ps = prepare(c, "SELECT 1 FROM webhooks WHERE id = ?", webhookId);
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
            }
            AuditEvent stored = history.insertAudit(c, event);
            update(
                    c,
                    "INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, created_at, status, attempts,"
                            + " next_attempt_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?)",
                    webhookId,
                    stored.id(),
                    type,
                    stored.at(),
                    stored.at());
            return Optional.of(stored);
        });
    }

    List<WebhookDelivery> due(Instant now, int limit) {
        return deliveries(DUE, now, now, limit);
    }

    void postpone(String webhookId, Instant until) {
        sql.writeRelaxed(
                "postpone a failing webhook's deliveries",
                c -> update(
                        c,
                        "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE webhook_id = ? AND status = 'PENDING'"
                                + " AND next_attempt_at < ?",
                        until,
                        webhookId,
                        until));
    }

    boolean claim(String webhookId, String eventId, String claim, Instant now, Instant until) {
        // relaxed (no fsync of its own): a claim lost in a power failure only lets the delivery be sent again
        return sql.writeRelaxed(
                "claim a webhook delivery", c -> update(c, CLAIM, claim, until, webhookId, eventId, now, now) == 1);
    }

    boolean finish(String webhookId, String eventId, String claim, WebhookDelivery.Attempt a) {
        // relaxed: an outcome lost in a power failure only means the event is sent again (receivers
        // treat webhook-id as an idempotency key)
        return sql.writeRelaxed(
                "record a webhook delivery",
                c -> update(
                                c,
                                FINISH,
                                a.status().name(),
                                a.httpStatus() == null ? Sql.longOrNull(null) : Long.valueOf(a.httpStatus()),
                                a.error(),
                                a.at(),
                                millisOrNull(a.next()),
                                webhookId,
                                eventId,
                                claim)
                        == 1);
    }

    List<WebhookDelivery> list(String webhookId, int limit) {
        return deliveries(
                "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE webhook_id = ?" + " ORDER BY event_id"
                        + sql.byteOrder() + " DESC LIMIT ?",
                webhookId,
                limit);
    }

    Optional<WebhookDelivery> findDelivery(String webhookId, String eventId) {
        return deliveries(
                        "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE webhook_id = ? AND event_id = ?",
                        webhookId,
                        eventId)
                .stream()
                .findFirst();
    }

    boolean redeliver(String webhookId, String eventId, Instant now) {
        return sql.write(
                "redeliver a webhook delivery",
                c -> update(
                                c,
                                "UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = ?, claim = NULL,"
                                        + " claimed_until = NULL WHERE webhook_id = ? AND event_id = ?",
                                now,
                                webhookId,
                                eventId)
                        == 1);
    }

    private List<Webhook> webhooks(String select, Object... params) {
        return sql.read("read webhooks", c -> {
            List<Webhook> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, select, params);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(webhook(rs));
                }
            }
            return List.copyOf(out);
        });
    }

    private List<WebhookDelivery> deliveries(String select, Object... params) {
        return sql.read("read webhook deliveries", c -> {
            List<WebhookDelivery> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, select, params);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(delivery(rs));
                }
            }
            return List.copyOf(out);
        });
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        String events = rs.getString("events");
        return new Webhook(
                rs.getString("id"),
                rs.getString("project"),
                rs.getString("url"),
                Arrays.stream(events.split(",")).filter(e -> !e.isEmpty()).toList(),
                Webhook.Format.valueOf(rs.getString("format")),
                rs.getString("sealed_secret"),
                getInstant(rs, "created_at"),
                rs.getString("created_by"),
                getInstant(rs, "disabled_at"),
                rs.getString("disabled_reason"),
                getInstant(rs, "failing_since"));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        Long status = getLong(rs, "last_status");
        return new WebhookDelivery(
                rs.getString("webhook_id"),
                rs.getString("event_id"),
                rs.getString("event_type"),
                getInstant(rs, "created_at"),
                WebhookDelivery.Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                getInstant(rs, "next_attempt_at"),
                status == null ? null : status.intValue(),
                rs.getString("last_error"),
                getInstant(rs, "last_attempt_at"));
    }

    private static String prefixed(String prefix, String columns) {
        return String.join(
                ", ",
                Arrays.stream(columns.split(",\\s*")).map(col -> prefix + col).toList());
    }
}
