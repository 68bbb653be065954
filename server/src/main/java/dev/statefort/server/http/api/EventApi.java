package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.event.EventDocument;
import dev.statefort.core.event.EventFeed;
import dev.statefort.core.event.EventSignal;
import dev.statefort.core.event.WebhookAdministration;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import dev.statefort.core.usecases.EventUseCases;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.QueryParams;
import dev.statefort.server.http.api.ApiViews.Items;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A project's webhooks ({@code /api/v1/projects/{p}/webhooks[/{id}[/rotate-secret|/ping|/deliveries]]})
 * and its live event stream ({@code /api/v1/projects/{p}/events}, Server-Sent Events): JSON in and
 * out of {@link WebhookAdministration}, the stream read from {@link EventFeed}.
 */
public final class EventApi {
    /** A stream ends after this long (the client reconnects with Last-Event-ID): its credential is checked again. */
    static final Duration STREAM_LIFETIME = Duration.ofSeconds(60);

    private static final Duration LOOK = Duration.ofMillis(500);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final WebhookAdministration webhooks;
    private final EventFeed feed;
    private final EventSignal signal;
    private final BooleanSupplier stopping;
    private final String publicUrl;
    private final ObjectMapper json;

    /**
     * @param stopping true once the node drains: streams end so the node can stop
     * @param publicUrl the server's public address for links in events, or null (the request's own)
     */
    public EventApi(
            EventUseCases events, EventSignal signal, BooleanSupplier stopping, String publicUrl, ObjectMapper json) {
        this.webhooks = events.webhooks();
        this.feed = events.feed();
        this.signal = signal;
        this.stopping = stopping;
        this.publicUrl = publicUrl;
        this.json = json;
    }

    /** A webhook as listed: never its secret. */
    record WebhookView(
            String id,
            String url,
            List<String> events,
            String format,
            String createdAt,
            String createdBy,
            boolean enabled,
            String disabledAt,
            String disabledReason,
            String failingSince) {
        static WebhookView of(Webhook w) {
            return new WebhookView(
                    w.id(),
                    w.url(),
                    w.events(),
                    w.format().wireName(),
                    ApiViews.iso(w.createdAt()),
                    w.createdBy(),
                    !w.disabled(),
                    ApiViews.iso(w.disabledAt()),
                    w.disabledReason(),
                    ApiViews.iso(w.failingSince()));
        }
    }

    /** A webhook just made or rotated, with its secret: the only time it is shown. */
    record WebhookWithSecret(WebhookView webhook, String secret) {}

    record DeliveryView(
            String event,
            String type,
            String createdAt,
            String status,
            int attempts,
            Integer lastStatus,
            String lastError,
            String lastAttemptAt,
            String nextAttemptAt) {
        static DeliveryView of(WebhookDelivery d) {
            return new DeliveryView(
                    d.eventId(),
                    d.eventType(),
                    ApiViews.iso(d.createdAt()),
                    d.status().wireName(),
                    d.attempts(),
                    d.lastStatus(),
                    d.lastError(),
                    ApiViews.iso(d.lastAttemptAt()),
                    ApiViews.iso(d.nextAttemptAt()));
        }
    }

    record PingView(String event) {}

    void list(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(
                200,
                json,
                new Items<>(webhooks.list(principal, path.project()).stream()
                        .map(WebhookView::of)
                        .toList()));
    }

    /** POST {@code {"url": "https://...", "events": ["lock.stale"], "format": "json" | "slack"}}. */
    void create(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        WebhookAdministration.Created created = webhooks.create(
                principal,
                path.project(),
                ApiInput.text(body, "url"),
                ApiInput.strings(body, "events"),
                ApiInput.text(body, "format"));
        ex.sendJson(201, json, new WebhookWithSecret(WebhookView.of(created.webhook()), created.secret()));
    }

    void get(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(200, json, WebhookView.of(webhooks.get(principal, path.project(), path.get("id"))));
    }

    void delete(Exchange ex, Principal principal, PathParams path) throws IOException {
        webhooks.delete(principal, path.project(), path.get("id"));
        ex.sendEmpty(204);
    }

    void rotateSecret(Exchange ex, Principal principal, PathParams path) throws IOException {
        String secret = webhooks.rotateSecret(principal, path.project(), path.get("id"));
        Webhook w = webhooks.get(principal, path.project(), path.get("id"));
        ex.sendJson(200, json, new WebhookWithSecret(WebhookView.of(w), secret));
    }

    void ping(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(202, json, new PingView(webhooks.ping(principal, path.project(), path.get("id"))));
    }

    void deliveries(Exchange ex, Principal principal, PathParams path) throws IOException {
        int limit = QueryParams.integer(ex, "limit", 50, 1, WebhookAdministration.MAX_DELIVERIES_LISTED);
        ex.sendJson(
                200,
                json,
                new Items<>(webhooks.deliveries(principal, path.project(), path.get("id"), limit).stream()
                        .map(DeliveryView::of)
                        .toList()));
    }

    void redeliver(Exchange ex, Principal principal, PathParams path) throws IOException {
        webhooks.redeliver(principal, path.project(), path.get("id"), path.get("event"));
        ex.sendEmpty(202);
    }

    /**
     * GET .../events: Server-Sent Events ({@code id}, {@code event} = the type, {@code data} = the
     * event's JSON) of the states the caller may read, from after {@code Last-Event-ID} (or {@code
     * ?lastEventId=}), else from now. Ends after {@link #STREAM_LIFETIME} or when the node stops;
     * the client reconnects and resumes. {@code ?state=} keeps one state's events. {@code ?follow=false} answers what is stored and ends (a
     * script's catch-up read).
     */
    void stream(Exchange ex, Principal principal, PathParams path) throws IOException {
        String last = ex.header("Last-Event-ID");
        if (last == null || last.isBlank()) {
            last = ex.query("lastEventId");
        }
        String state = ex.query("state");
        EventFeed.Cursor cursor =
                feed.open(principal, path.project(), last, state == null || state.isBlank() ? null : state);
        String base = publicUrl != null ? publicUrl : ex.baseUrl();
        boolean follow = !"false".equals(ex.query("follow"));
        long endAt = System.nanoTime() + (follow ? STREAM_LIFETIME.toNanos() : 0);
        try (OutputStream out = ex.openStream(200, "text/event-stream; charset=utf-8")) {
            write(out, "retry: 1000\n\n");
            long lastWrite = System.nanoTime();
            do {
                long seen = signal.count();
                List<EventFeed.Event> events = cursor.next();
                if (!events.isEmpty()) {
                    StringBuilder chunk = new StringBuilder();
                    for (EventFeed.Event e : events) {
                        chunk.append("id: ").append(e.record().id()).append('\n');
                        chunk.append("event: ").append(e.type()).append('\n');
                        chunk.append("data: ")
                                .append(new String(
                                        EventDocument.bytes(EventDocument.of(e.record(), e.type(), base, null)),
                                        StandardCharsets.UTF_8))
                                .append("\n\n");
                    }
                    write(out, chunk.toString());
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > HEARTBEAT.toNanos()) {
                    write(out, ": keep-alive\n\n");
                    lastWrite = System.nanoTime();
                }
                if (!follow && !cursor.behind()) {
                    break;
                }
                try {
                    if (cursor.behind()) {
                        continue; // more is stored already: the next page at once
                    }
                    signal.awaitAfter(seen, LOOK);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } while (!stopping.getAsBoolean() && (cursor.behind() || System.nanoTime() < endAt));
        } catch (IOException clientGone) {
            // the client went away: nothing to answer
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
