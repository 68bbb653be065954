package dev.statefort.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A project's webhook: where its events go, which ones, in which shape.
 *
 * @param id server-assigned ({@code wh_...})
 * @param events the event types it receives ({@code lock.stale}, ...), or {@code ["*"]} for every one
 * @param sealedSecret the signing secret wrapped with the master key (never the secret itself)
 * @param disabledAt when delivery stopped because the receiver failed for 24 h, or null
 * @param disabledReason why, or null
 * @param failingSince the first failed attempt since the last success, or null
 */
public record Webhook(
        String id,
        String project,
        String url,
        List<String> events,
        Format format,
        String sealedSecret,
        Instant createdAt,
        String createdBy,
        Instant disabledAt,
        String disabledReason,
        Instant failingSince) {

    /** Every event type, in {@link #events}. */
    public static final String ALL_EVENTS = "*";

    /** The body a delivery carries. */
    public enum Format {
        /** The event as JSON: {@code {"type", "timestamp", "data"}} (the Standard Webhooks shape). */
        JSON,
        /** A Slack incoming-webhook message ({@code {"text": ...}}), which Teams and Mattermost accept too. */
        SLACK;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Webhook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        events = List.copyOf(events);
    }

    /** Whether it receives events of {@code type}. */
    public boolean receives(String type) {
        return events.contains(ALL_EVENTS) || events.contains(type);
    }

    public boolean disabled() {
        return disabledAt != null;
    }

    /** The same webhook with another sealed secret. */
    public Webhook withSealedSecret(String sealed) {
        return new Webhook(
                id,
                project,
                url,
                events,
                format,
                sealed,
                createdAt,
                createdBy,
                disabledAt,
                disabledReason,
                failingSince);
    }
}
