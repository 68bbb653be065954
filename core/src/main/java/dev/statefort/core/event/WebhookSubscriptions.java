package dev.statefort.core.event;

import dev.statefort.core.model.Webhook;
import dev.statefort.core.spi.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which event types a project's enabled webhooks receive, as this node last read them (at most
 * {@link #FRESH} ago, at once after a change made here): whether an event just recorded is worth
 * waking the webhook sender for. Only an optimisation: the outbox rows are the truth, and the sender
 * looks at them every second anyway (another node's change is seen within {@link #FRESH}).
 */
public final class WebhookSubscriptions {
    static final Duration FRESH = Duration.ofSeconds(5);

    private record Read(Set<String> types, Instant at) {}

    private final MetadataStore metadata;
    private final Clock clock;
    private final ConcurrentHashMap<String, Read> byProject = new ConcurrentHashMap<>();

    public WebhookSubscriptions(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /** Whether an enabled webhook of {@code project} receives {@code type} (as last read). */
    public boolean anyFor(String project, String type) {
        Instant now = clock.instant();
        Read read = byProject.get(project);
        if (read == null || read.at().plus(FRESH).isBefore(now)) {
            Set<String> types = new HashSet<>();
            try {
                for (Webhook w : metadata.listWebhooks(project)) {
                    if (!w.disabled()) {
                        types.addAll(w.events());
                    }
                }
            } catch (RuntimeException unreadable) {
                return true; // the database did not answer: wake the sender, it finds out by itself
            }
            read = new Read(Set.copyOf(types), now);
            byProject.put(project, read);
        }
        return read.types().contains(Webhook.ALL_EVENTS) || read.types().contains(type);
    }

    /** A webhook of {@code project} changed here: read it again next time. */
    public void changed(String project) {
        byProject.remove(project);
    }
}
