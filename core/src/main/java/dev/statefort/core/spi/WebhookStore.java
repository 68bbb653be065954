package dev.statefort.core.spi;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks and their outbox. Whenever {@link AuditStore#appendAudit} (or any method that appends
 * an audit event in its transaction) stores an event that {@link dev.statefort.core.event.EventTypes#of}
 * names, the same transaction adds one pending delivery, due at once, for every enabled webhook of
 * the event's project that receives its type: a crash after the change never loses its event, and
 * a disabled webhook queues nothing. Deliveries go with their webhook. One concern of {@link
 * MetadataStore}: its general rules apply, and every implementation passes the contract suite in
 * store-tck.
 */
public interface WebhookStore {

    /** Stores a new webhook; {@link dev.statefort.core.model.ProjectNotFoundException} without its project. */
    void createWebhook(Webhook webhook);

    /** The project's webhooks, oldest first (then by ID). */
    List<Webhook> listWebhooks(String project);

    /** Every project's webhooks (for a master key rotation), by ID. */
    List<Webhook> listAllWebhooks();

    Optional<Webhook> findWebhook(String id);

    /** Deletes it and its deliveries; false if the project has no such webhook. */
    boolean deleteWebhook(String project, String id);

    /** Replaces the sealed secret if it is still {@code expected}; false otherwise. */
    boolean replaceWebhookSecret(String id, String expected, String replacement);

    /**
     * Records a successful delivery: the webhook is no longer failing, and enabled again if it was
     * disabled (a ping or a redelivery that gets through turns it back on).
     */
    void webhookSucceeded(String id);

    /**
     * Records a failed delivery at {@code now}: the webhook is failing since now unless it already
     * was; when it has been failing since {@code disableIfFailingBefore} or earlier, it is disabled
     * (with {@code reason}). Returns true only to the call that disabled it.
     */
    boolean webhookFailed(String id, Instant now, Instant disableIfFailingBefore, String reason);

    /**
     * Appends {@code event} (as {@link AuditStore#appendAudit}, which fans it out to nobody: a ping
     * is not a subscribable type) and one pending delivery of it to this webhook alone, typed {@code
     * type}, in one transaction; returns the stored event. Empty when there is no such webhook.
     */
    Optional<AuditEvent> appendAuditFor(String webhookId, String type, AuditEvent event);

    /**
     * Deliveries due at {@code now}: pending, next attempt at or before now, not claimed (or the
     * claim ran out), of an enabled webhook; in event order, at most {@code limit}.
     */
    List<WebhookDelivery> dueDeliveries(Instant now, int limit);

    /**
     * Claims a due delivery for one attempt with one conditional write: true for exactly one of
     * several nodes asking at once. The claim runs out at {@code until} (a node that died while
     * sending leaves it to another). It need not be durable at once (a claim lost in a power
     * failure only lets the delivery be sent again).
     */
    boolean claimDelivery(String webhookId, String eventId, String claim, Instant now, Instant until);

    /**
     * Records the attempt made under {@code claim}: attempts + 1, the outcome, and either the next
     * try (pending) or a final status; the claim is cleared. False when the claim is no longer held
     * (nothing is changed). It need not be durable at once either: an outcome lost in a power
     * failure means the event is sent again, which receivers expect (the same {@code webhook-id}).
     */
    boolean finishDelivery(String webhookId, String eventId, String claim, WebhookDelivery.Attempt attempt);

    /**
     * Makes the webhook's pending deliveries due before {@code until} due at {@code until}: a
     * failing receiver's later events wait for its next try (on every node), and never fill the
     * head of {@link #dueDeliveries} for the other webhooks. Need not be durable at once.
     */
    void postponeDeliveries(String webhookId, Instant until);

    /** The webhook's deliveries, newest event first, at most {@code limit}. */
    List<WebhookDelivery> listDeliveries(String webhookId, int limit);

    Optional<WebhookDelivery> findDelivery(String webhookId, String eventId);

    /** Makes a delivery pending and due at {@code now} again (attempts kept); false if there is none. */
    boolean redeliver(String webhookId, String eventId, Instant now);
}
