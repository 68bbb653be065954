package dev.statefort.core.model;

import java.time.Instant;

/**
 * One event on its way to one webhook (the outbox row): made in the transaction that recorded the
 * event, then claimed, attempted and finished by whichever node gets to it first.
 *
 * @param eventId the event's ID (its audit event's ID); the {@code webhook-id} header
 * @param nextAttemptAt when it is due (pending), else null
 * @param lastStatus the HTTP status of the last attempt, or null (none yet, or no answer)
 * @param lastError why the last attempt failed, or null
 */
public record WebhookDelivery(
        String webhookId,
        String eventId,
        String eventType,
        Instant createdAt,
        Status status,
        int attempts,
        Instant nextAttemptAt,
        Integer lastStatus,
        String lastError,
        Instant lastAttemptAt) {

    /** Where a delivery stands. */
    public enum Status {
        /** To be attempted at {@code nextAttemptAt}. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Given up: a 4xx other than 408/429, 24 h of failures, or the event no longer stored. */
        FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The outcome of one attempt, for the store to record.
     *
     * @param next when to try again (the delivery stays pending), or null when {@code status} is final
     */
    public record Attempt(Status status, Integer httpStatus, String error, Instant at, Instant next) {}
}
