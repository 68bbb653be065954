package dev.statefort.core.testing;

import dev.statefort.core.event.EventTypes;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** {@link InMemoryMetadataStore}'s webhooks and outbox. */
final class InMemoryWebhooks {
    private final Map<String, Webhook> webhooks = new TreeMap<>();
    /** By webhook ID, then event ID. */
    private final Map<String, TreeMap<String, Row>> deliveries = new TreeMap<>();

    private static final class Row {
        WebhookDelivery delivery;
        String claim;
        Instant claimedUntil;

        Row(WebhookDelivery delivery) {
            this.delivery = delivery;
        }
    }

    /** The fan-out of an appended event (called inside the append). */
    synchronized void appended(AuditEvent stored) {
        String type = EventTypes.of(stored);
        if (type == null) {
            return;
        }
        for (Webhook w : webhooks.values()) {
            if (w.project().equals(stored.project()) && !w.disabled() && w.receives(type)) {
                enqueue(w.id(), type, stored);
            }
        }
    }

    synchronized void enqueue(String webhookId, String type, AuditEvent stored) {
        deliveries
                .computeIfAbsent(webhookId, k -> new TreeMap<>())
                .put(
                        stored.id(),
                        new Row(new WebhookDelivery(
                                webhookId,
                                stored.id(),
                                type,
                                stored.at(),
                                WebhookDelivery.Status.PENDING,
                                0,
                                stored.at(),
                                null,
                                null,
                                null)));
    }

    synchronized void create(Webhook w) {
        if (webhooks.containsKey(w.id())) {
            throw new IllegalArgumentException("a webhook with this ID already exists");
        }
        webhooks.put(w.id(), truncated(w));
    }

    synchronized List<Webhook> list(String project) {
        return webhooks.values().stream()
                .filter(w -> w.project().equals(project))
                .sorted(Comparator.comparing(Webhook::createdAt).thenComparing(Webhook::id))
                .toList();
    }

    synchronized List<Webhook> listAll() {
        return List.copyOf(webhooks.values());
    }

    synchronized Optional<Webhook> find(String id) {
        return Optional.ofNullable(webhooks.get(id));
    }

    synchronized boolean delete(String project, String id) {
        Webhook w = webhooks.get(id);
        if (w == null || !w.project().equals(project)) {
            return false;
        }
        webhooks.remove(id);
        deliveries.remove(id);
        return true;
    }

    synchronized boolean replaceSecret(String id, String expected, String replacement) {
        Webhook w = webhooks.get(id);
        if (w == null || !w.sealedSecret().equals(expected)) {
            return false;
        }
        webhooks.put(id, w.withSealedSecret(replacement));
        return true;
    }

    synchronized void succeeded(String id) {
        Webhook w = webhooks.get(id);
        if (w != null) {
            webhooks.put(id, health(w, null, null, null));
        }
    }

    synchronized boolean failed(String id, Instant now, Instant disableIfFailingBefore, String reason) {
        Webhook w = webhooks.get(id);
        if (w == null) {
            return false;
        }
        Instant since = w.failingSince() == null ? millis(now) : w.failingSince();
        boolean disable = !w.disabled() && !since.isAfter(disableIfFailingBefore);
        webhooks.put(
                id, health(w, disable ? millis(now) : w.disabledAt(), disable ? reason : w.disabledReason(), since));
        return disable;
    }

    synchronized List<WebhookDelivery> due(Instant now, int limit) {
        List<WebhookDelivery> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<String, Row>> e : deliveries.entrySet()) {
            Webhook w = webhooks.get(e.getKey());
            if (w == null || w.disabled()) {
                continue;
            }
            for (Row r : e.getValue().values()) {
                if (r.delivery.status() == WebhookDelivery.Status.PENDING
                        && !r.delivery.nextAttemptAt().isAfter(now)
                        && (r.claimedUntil == null || r.claimedUntil.isBefore(now))) {
                    out.add(r.delivery);
                }
            }
        }
        out.sort(Comparator.comparing(WebhookDelivery::eventId).thenComparing(WebhookDelivery::webhookId));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    synchronized void postpone(String webhookId, Instant until) {
        TreeMap<String, Row> rows = deliveries.get(webhookId);
        if (rows == null) {
            return;
        }
        for (Row r : rows.values()) {
            WebhookDelivery d = r.delivery;
            if (d.status() == WebhookDelivery.Status.PENDING
                    && d.nextAttemptAt().isBefore(until)) {
                r.delivery = pendingAt(d, until);
            }
        }
    }

    synchronized boolean claim(String webhookId, String eventId, String claim, Instant now, Instant until) {
        Row r = row(webhookId, eventId);
        if (r == null
                || r.delivery.status() != WebhookDelivery.Status.PENDING
                || r.delivery.nextAttemptAt().isAfter(now)
                || (r.claimedUntil != null && !r.claimedUntil.isBefore(now))) {
            return false;
        }
        r.claim = claim;
        r.claimedUntil = millis(until);
        return true;
    }

    synchronized boolean finish(String webhookId, String eventId, String claim, WebhookDelivery.Attempt a) {
        Row r = row(webhookId, eventId);
        if (r == null || !Objects.equals(r.claim, claim)) {
            return false;
        }
        WebhookDelivery d = r.delivery;
        r.delivery = new WebhookDelivery(
                d.webhookId(),
                d.eventId(),
                d.eventType(),
                d.createdAt(),
                a.status(),
                d.attempts() + 1,
                a.next() == null ? null : millis(a.next()),
                a.httpStatus(),
                a.error(),
                millis(a.at()));
        r.claim = null;
        r.claimedUntil = null;
        return true;
    }

    synchronized List<WebhookDelivery> list(String webhookId, int limit) {
        TreeMap<String, Row> rows = deliveries.getOrDefault(webhookId, new TreeMap<>());
        return rows.descendingMap().values().stream()
                .limit(limit)
                .map(r -> r.delivery)
                .toList();
    }

    synchronized Optional<WebhookDelivery> findDelivery(String webhookId, String eventId) {
        return Optional.ofNullable(row(webhookId, eventId)).map(r -> r.delivery);
    }

    synchronized boolean redeliver(String webhookId, String eventId, Instant now) {
        Row r = row(webhookId, eventId);
        if (r == null) {
            return false;
        }
        WebhookDelivery d = r.delivery;
        r.delivery = pendingAt(d, now);
        r.claim = null;
        r.claimedUntil = null;
        return true;
    }

    /** The same delivery, pending and due at {@code at} (its attempts and last outcome kept). */
    private static WebhookDelivery pendingAt(WebhookDelivery d, Instant at) {
        return new WebhookDelivery(
                d.webhookId(),
                d.eventId(),
                d.eventType(),
                d.createdAt(),
                WebhookDelivery.Status.PENDING,
                d.attempts(),
                millis(at),
                d.lastStatus(),
                d.lastError(),
                d.lastAttemptAt());
    }

    private Row row(String webhookId, String eventId) {
        TreeMap<String, Row> rows = deliveries.get(webhookId);
        return rows == null ? null : rows.get(eventId);
    }

    private static Webhook health(Webhook w, Instant disabledAt, String reason, Instant failingSince) {
        return new Webhook(
                w.id(),
                w.project(),
                w.url(),
                w.events(),
                w.format(),
                w.sealedSecret(),
                w.createdAt(),
                w.createdBy(),
                disabledAt,
                reason,
                failingSince);
    }

    private static Webhook truncated(Webhook w) {
        return new Webhook(
                w.id(),
                w.project(),
                w.url(),
                w.events(),
                w.format(),
                w.sealedSecret(),
                millis(w.createdAt()),
                w.createdBy(),
                w.disabledAt() == null ? null : millis(w.disabledAt()),
                w.disabledReason(),
                w.failingSince() == null ? null : millis(w.failingSince()));
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }
}
