package dev.statefort.server.http.ui;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.event.EventTypes;
import dev.statefort.core.event.WebhookAdministration;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A project's webhooks in the UI (its admins): the list with each one's health, a form for a new one,
 * ping, secret rotation, deletion, and each webhook's delivery log with redelivery. Every rule and
 * audit event is {@link WebhookAdministration}'s, the same as the REST API's and the CLI's. A new
 * secret is shown once, in the answer to the form that made it, never cached.
 */
public final class UiWebhookPages {
    private final WebhookAdministration webhooks;
    private final Clock clock;
    private final UiView ui;

    public UiWebhookPages(WebhookAdministration webhooks, Clock clock, UiView ui) {
        this.webhooks = webhooks;
        this.clock = clock;
        this.ui = ui;
    }

    static String href(String project) {
        return UiPages.projectHref(project) + "/webhooks";
    }

    void page(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        send(ex, chrome, principal, project, null);
    }

    void create(Exchange ex, Chrome chrome, Principal principal, String project) throws IOException {
        List<String> events = new ArrayList<>();
        for (String type : EventTypes.ALL) {
            if (ex.formField("event." + type) != null) {
                events.add(type);
            }
        }
        if (ex.formField("event.all") != null) {
            events = List.of(Webhook.ALL_EVENTS);
        }
        WebhookAdministration.Created created =
                webhooks.create(principal, project, ex.formField("url"), events, ex.formField("format"));
        send(
                ex,
                chrome,
                principal,
                project,
                new Pages.NewSecret(created.webhook().id(), created.secret()));
    }

    void rotateSecret(Exchange ex, Chrome chrome, Principal principal, String project, String id) throws IOException {
        String secret = webhooks.rotateSecret(principal, project, id);
        send(ex, chrome, principal, project, new Pages.NewSecret(id, secret));
    }

    void ping(Exchange ex, Principal principal, String project, String id) throws IOException {
        webhooks.ping(principal, project, id);
        ex.redirect(href(project) + "/" + id + "?done=webhook-pinged");
    }

    void delete(Exchange ex, Principal principal, String project, String id) throws IOException {
        webhooks.delete(principal, project, id);
        ex.redirect(href(project) + "?done=webhook-deleted");
    }

    void deliveries(Exchange ex, Chrome chrome, Principal principal, String project, String id) throws IOException {
        Instant now = clock.instant();
        Webhook w = webhooks.get(principal, project, id);
        List<Pages.DeliveryRow> rows = webhooks.deliveries(principal, project, id, 100).stream()
                .map(d -> deliveryRow(project, d, now))
                .toList();
        String href = href(project);
        ui.send(
                ex,
                200,
                "webhook.jte",
                chrome.page(
                        "Webhook " + id + " · " + project,
                        List.of(
                                new Crumb(project, UiPages.projectHref(project)),
                                new Crumb("Webhooks", href),
                                new Crumb(id, href + "/" + id))),
                new Pages.WebhookLog(project, row(w, now), rows));
    }

    void redeliver(Exchange ex, Principal principal, String project, String id, String event) throws IOException {
        webhooks.redeliver(principal, project, id, event);
        ex.redirect(href(project) + "/" + id + "?done=webhook-redelivered");
    }

    private void send(Exchange ex, Chrome chrome, Principal principal, String project, Pages.NewSecret secret)
            throws IOException {
        Instant now = clock.instant();
        String href = href(project);
        if (secret != null) {
            ex.header("Cache-Control", "no-store");
        }
        ui.send(
                ex,
                secret == null ? 200 : 201,
                "webhooks.jte",
                chrome.page(
                        "Webhooks · " + project,
                        List.of(new Crumb(project, UiPages.projectHref(project)), new Crumb("Webhooks", href))),
                new Pages.Webhooks(
                        project,
                        href,
                        webhooks.list(principal, project).stream()
                                .map(w -> row(w, now))
                                .toList(),
                        EventTypes.ALL,
                        secret));
    }

    private static Pages.WebhookRow row(Webhook w, Instant now) {
        String href = href(w.project()) + "/" + w.id();
        return new Pages.WebhookRow(
                w.id(),
                w.url(),
                String.join(", ", w.events()),
                w.format().wireName(),
                w.disabled(),
                w.disabledReason(),
                w.failingSince() == null ? null : When.of(w.failingSince(), now),
                When.of(w.createdAt(), now),
                w.createdBy(),
                href);
    }

    private static Pages.DeliveryRow deliveryRow(String project, WebhookDelivery d, Instant now) {
        return new Pages.DeliveryRow(
                d.eventId(),
                d.eventType(),
                d.status().wireName(),
                d.attempts(),
                d.lastStatus() == null ? "-" : Integer.toString(d.lastStatus()),
                d.lastError(),
                When.of(d.createdAt(), now),
                d.nextAttemptAt() == null ? null : When.ahead(d.nextAttemptAt(), now),
                href(project) + "/" + d.webhookId() + "/deliveries/" + d.eventId() + "/redeliver");
    }
}
