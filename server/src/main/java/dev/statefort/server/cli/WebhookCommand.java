package dev.statefort.server.cli;

import dev.statefort.core.event.WebhookAdministration;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import dev.statefort.server.wiring.StatefortNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statefort webhook ...}: a project's webhooks. The same use case, rules and audit events as
 * the REST API and the UI; deliveries are queued in the database and sent by a running server.
 */
@Command(
        name = "webhook",
        description = "A project's webhooks: signed deliveries of its events (locks, writes, guard refusals...).",
        mixinStandardHelpOptions = true,
        subcommands = {
            WebhookCommand.Create.class,
            WebhookCommand.ListWebhooks.class,
            WebhookCommand.Delete.class,
            WebhookCommand.RotateSecret.class,
            WebhookCommand.Ping.class,
            WebhookCommand.Deliveries.class,
            WebhookCommand.Redeliver.class
        })
final class WebhookCommand {

    /** What every subcommand takes: the configuration and the project. */
    abstract static class OnProject implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--project", required = true, paramLabel = "P")
        String project;

        @Override
        public Integer call() {
            try (StatefortNode node = StatefortNode.open(options.load())) {
                return run(node.events().webhooks());
            }
        }

        abstract Integer run(WebhookAdministration webhooks);
    }

    /** A subcommand on one webhook: its ID first. */
    abstract static class OnWebhook extends OnProject {
        @Parameters(index = "0", paramLabel = "ID")
        String id;
    }

    @Command(
            name = "create",
            description = "Add a webhook; prints its signing secret, which is shown only this once.",
            mixinStandardHelpOptions = true)
    static final class Create extends OnProject {
        @Option(names = "--url", required = true, paramLabel = "URL", description = "https:// receiver address.")
        String url;

        @Option(
                names = "--event",
                required = true,
                paramLabel = "TYPE",
                description = "An event type to send (repeat it), or * for all: lock.stale, guard.refused, ...")
        List<String> events;

        @Option(names = "--format", paramLabel = "json|slack", description = "Body shape (default json).")
        String format;

        @Override
        Integer run(WebhookAdministration webhooks) {
            WebhookAdministration.Created created = webhooks.create(Cli.principal(), project, url, events, format);
            System.out.println("webhook " + created.webhook().id() + " created for "
                    + String.join(", ", created.webhook().events()));
            System.out.println("signing secret (shown once): " + created.secret());
            return 0;
        }
    }

    @Command(name = "list", description = "List the project's webhooks.", mixinStandardHelpOptions = true)
    static final class ListWebhooks extends OnProject {
        @Override
        Integer run(WebhookAdministration webhooks) {
            System.out.printf("%-28s %-8s %-6s %-40s %s%n", "ID", "STATE", "FORMAT", "EVENTS", "URL");
            for (Webhook w : webhooks.list(Cli.principal(), project)) {
                System.out.printf(
                        "%-28s %-8s %-6s %-40s %s%s%n",
                        w.id(),
                        w.disabled() ? "disabled" : "enabled",
                        w.format().wireName(),
                        String.join(",", w.events()),
                        w.url(),
                        w.disabled() ? "  (" + w.disabledReason() + ")" : "");
            }
            return 0;
        }
    }

    @Command(
            name = "delete",
            description = "Delete a webhook and its undelivered events.",
            mixinStandardHelpOptions = true)
    static final class Delete extends OnWebhook {
        @Override
        Integer run(WebhookAdministration webhooks) {
            webhooks.delete(Cli.principal(), project, id);
            System.out.println("webhook " + id + " deleted");
            return 0;
        }
    }

    @Command(
            name = "rotate-secret",
            description = "Give a webhook a new signing secret (printed once); the old one stops at once.",
            mixinStandardHelpOptions = true)
    static final class RotateSecret extends OnWebhook {
        @Override
        Integer run(WebhookAdministration webhooks) {
            System.out.println(
                    "new signing secret (shown once): " + webhooks.rotateSecret(Cli.principal(), project, id));
            return 0;
        }
    }

    @Command(
            name = "ping",
            description = "Queue a webhook.ping event for this webhook (enables a disabled one again).",
            mixinStandardHelpOptions = true)
    static final class Ping extends OnWebhook {
        @Override
        Integer run(WebhookAdministration webhooks) {
            System.out.println("ping queued as event " + webhooks.ping(Cli.principal(), project, id));
            return 0;
        }
    }

    @Command(
            name = "deliveries",
            description = "A webhook's delivery log, newest first.",
            mixinStandardHelpOptions = true)
    static final class Deliveries extends OnWebhook {
        @Option(names = "--limit", paramLabel = "N", description = "At most this many (default 50).")
        int limit = 50;

        @Override
        Integer run(WebhookAdministration webhooks) {
            System.out.printf(
                    "%-46s %-20s %-9s %-8s %-6s %s%n",
                    "EVENT", "TYPE", "STATUS", "ATTEMPTS", "HTTP", "ERROR / NEXT TRY");
            for (WebhookDelivery d : webhooks.deliveries(Cli.principal(), project, id, limit)) {
                System.out.printf(
                        "%-46s %-20s %-9s %-8d %-6s %s%n",
                        d.eventId(),
                        d.eventType(),
                        d.status().wireName(),
                        d.attempts(),
                        d.lastStatus() == null ? "-" : d.lastStatus(),
                        (d.lastError() == null ? "" : d.lastError())
                                + (d.nextAttemptAt() == null ? "" : " next " + d.nextAttemptAt()));
            }
            return 0;
        }
    }

    @Command(name = "redeliver", description = "Send one event to a webhook again.", mixinStandardHelpOptions = true)
    static final class Redeliver extends OnWebhook {
        @Parameters(index = "1", paramLabel = "EVENT")
        String event;

        @Override
        Integer run(WebhookAdministration webhooks) {
            webhooks.redeliver(Cli.principal(), project, id, event);
            System.out.println("event " + event + " queued again for webhook " + id);
            return 0;
        }
    }
}
