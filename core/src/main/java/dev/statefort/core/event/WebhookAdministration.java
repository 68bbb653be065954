package dev.statefort.core.event;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.NotFoundException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.crypto.WebhookSecrets;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.spi.MetadataStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A project's webhooks, the one way the REST API, the UI and the CLI manage them: the project's
 * admins; audited ({@code webhook.create}, {@code webhook.delete}, {@code webhook.rotate-secret},
 * {@code webhook.ping}, {@code webhook.redeliver}). The signing secret is shown once, when it is
 * made, and stored sealed.
 */
public final class WebhookAdministration {
    public static final int MAX_WEBHOOKS_PER_PROJECT = 20;
    public static final int MAX_DELIVERIES_LISTED = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore metadata;
    private final ProjectService projects;
    private final WebhookSecrets secrets;
    private final WebhookTargets targets;
    private final AuditService audit;
    private final Clock clock;
    private final Runnable wake;
    private final WebhookSubscriptions subscriptions;

    /**
     * @param wake called after an enqueue, so this node's dispatcher looks at once
     * @param subscriptions told of every change, so this node wakes its sender for the right events
     */
    public WebhookAdministration(
            MetadataStore metadata,
            ProjectService projects,
            WebhookSecrets secrets,
            WebhookTargets targets,
            AuditService audit,
            Clock clock,
            Runnable wake,
            WebhookSubscriptions subscriptions) {
        this.metadata = metadata;
        this.projects = projects;
        this.secrets = secrets;
        this.targets = targets;
        this.audit = audit;
        this.clock = clock;
        this.wake = wake;
        this.subscriptions = subscriptions;
    }

    /** A webhook made, with its secret (shown this once). */
    public record Created(Webhook webhook, String secret) {}

    public Created create(Principal actor, String project, String url, List<String> events, String format) {
        requireAdmin(actor, project);
        projects.require(project);
        String checkedUrl = targets.checkUrl(url).toString();
        List<String> types = types(events);
        Webhook.Format shape = format(format);
        if (metadata.listWebhooks(project).size() >= MAX_WEBHOOKS_PER_PROJECT) {
            throw new InvalidInputException(
                    "project '" + project + "' has " + MAX_WEBHOOKS_PER_PROJECT + " webhooks, the most it may have");
        }
        String id = "wh_" + HexFormat.of().formatHex(randomBytes(12));
        String secret = WebhookSecrets.generate();
        Webhook webhook = new Webhook(
                id,
                project,
                checkedUrl,
                types,
                shape,
                secrets.seal(id, secret),
                clock.instant(),
                actor.name(),
                null,
                null,
                null);
        metadata.createWebhook(webhook);
        subscriptions.changed(project);
        audit.record(
                actor,
                AuditAction.WEBHOOK_CREATE,
                project,
                null,
                Map.of(
                        "webhook",
                        id,
                        "url",
                        WebhookTargets.origin(checkedUrl),
                        "events",
                        types,
                        "format",
                        shape.wireName()));
        return new Created(webhook, secret);
    }

    public List<Webhook> list(Principal actor, String project) {
        requireAdmin(actor, project);
        projects.require(project);
        return metadata.listWebhooks(project);
    }

    public Webhook get(Principal actor, String project, String id) {
        requireAdmin(actor, project);
        return require(project, id);
    }

    public void delete(Principal actor, String project, String id) {
        requireAdmin(actor, project);
        require(project, id);
        if (!metadata.deleteWebhook(project, id)) {
            throw notFound(project, id);
        }
        subscriptions.changed(project);
        audit.record(actor, AuditAction.WEBHOOK_DELETE, project, null, Map.of("webhook", id));
    }

    /** A new secret, shown this once; the old one stops signing at once. */
    public String rotateSecret(Principal actor, String project, String id) {
        requireAdmin(actor, project);
        Webhook webhook = require(project, id);
        String secret = WebhookSecrets.generate();
        if (!metadata.replaceWebhookSecret(id, webhook.sealedSecret(), secrets.seal(id, secret))) {
            throw new dev.statefort.core.ConflictException("the webhook's secret changed meanwhile; try again");
        }
        audit.record(actor, AuditAction.WEBHOOK_ROTATE_SECRET, project, null, Map.of("webhook", id));
        return secret;
    }

    /**
     * Sends a {@code webhook.ping} event to this webhook alone (a disabled webhook is enabled again
     * for it); returns the event's ID, whose delivery the log shows.
     */
    public String ping(Principal actor, String project, String id) {
        requireAdmin(actor, project);
        Webhook webhook = require(project, id);
        if (webhook.disabled()) {
            metadata.webhookSucceeded(id);
            subscriptions.changed(project);
        }
        AuditEvent pending =
                audit.pending(actor, AuditAction.WEBHOOK_PING, AuditEvent.OK, project, null, Map.of("webhook", id));
        AuditEvent stored =
                metadata.appendAuditFor(id, EventTypes.PING, pending).orElseThrow(() -> notFound(project, id));
        audit.logged(stored);
        wake.run();
        return stored.id();
    }

    /** The webhook's deliveries, newest first. */
    public List<WebhookDelivery> deliveries(Principal actor, String project, String id, int limit) {
        requireAdmin(actor, project);
        require(project, id);
        return metadata.listDeliveries(id, Math.max(1, Math.min(limit, MAX_DELIVERIES_LISTED)));
    }

    /** Sends one delivery again, now (a disabled webhook is enabled again for it). */
    public void redeliver(Principal actor, String project, String id, String eventId) {
        requireAdmin(actor, project);
        Webhook webhook = require(project, id);
        if (eventId == null || !metadata.redeliver(id, eventId, clock.instant())) {
            throw new NotFoundException("webhook " + id + " has no delivery of event '" + eventId + "'");
        }
        if (webhook.disabled()) {
            metadata.webhookSucceeded(id);
            subscriptions.changed(project);
        }
        audit.record(actor, AuditAction.WEBHOOK_REDELIVER, project, null, Map.of("webhook", id, "event", eventId));
        wake.run();
    }

    private Webhook require(String project, String id) {
        projects.require(project);
        return metadata.findWebhook(id == null ? "" : id)
                .filter(w -> w.project().equals(project))
                .orElseThrow(() -> notFound(project, id));
    }

    private static NotFoundException notFound(String project, String id) {
        return new NotFoundException("project '" + project + "' has no webhook '" + id + "'");
    }

    private static void requireAdmin(Principal actor, String project) {
        Authorization.require(actor, project, Permission.ADMIN);
    }

    private static List<String> types(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw new InvalidInputException(
                    "events must list at least one event type, or * for all: " + String.join(", ", EventTypes.ALL));
        }
        Set<String> out = new LinkedHashSet<>();
        for (String e : events) {
            String type = e == null ? "" : e.strip();
            if (!type.equals(Webhook.ALL_EVENTS) && !EventTypes.known(type)) {
                throw new InvalidInputException(
                        "unknown event type '" + type + "'; known: " + String.join(", ", EventTypes.ALL) + ", or *");
            }
            out.add(type);
        }
        return out.contains(Webhook.ALL_EVENTS) ? List.of(Webhook.ALL_EVENTS) : List.copyOf(out);
    }

    private static Webhook.Format format(String format) {
        String f = format == null || format.isBlank() ? "json" : format.strip().toLowerCase(Locale.ROOT);
        return switch (f) {
            case "json" -> Webhook.Format.JSON;
            case "slack" -> Webhook.Format.SLACK;
            default -> throw new InvalidInputException("format must be json or slack, not '" + format + "'");
        };
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
