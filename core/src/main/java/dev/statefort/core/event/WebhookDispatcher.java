package dev.statefort.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.crypto.WebhookSecrets;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import dev.statefort.core.model.WebhookDelivery.Status;
import dev.statefort.core.spi.MetadataStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds: any node, each delivery claimed by one conditional write before it is
 * sent, so with several nodes each event reaches each webhook once. A 2xx delivers; a 5xx, 408, 429,
 * timeout or connection error is tried again after {@code retryInitial}, then twice as long each
 * time (at most {@link #LONGEST_GAP}), the last try 24 h after the event; any other status (redirects are
 * not followed), a refused address or a missing event stops. A webhook whose deliveries have failed
 * for 24 h is disabled (audited {@code webhook.disabled}) until a ping or redelivery gets through.
 * Runs on its own threads, never on a request's.
 */
public final class WebhookDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    static final Duration LONGEST_GAP = Duration.ofHours(2);
    /** Longer than one send can take (the transport's deadline, 20 s): another node takes over after it. */
    static final Duration CLAIM_FOR = Duration.ofSeconds(30);

    private static final int BATCH = 100;
    private static final int PARALLEL_WEBHOOKS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore metadata;
    private final WebhookSecrets secrets;
    private final WebhookTransport transport;
    private final WrittenCounts counts;
    private final AuditService audit;
    private final Clock clock;
    private final Duration retryInitial;
    private final java.util.function.Supplier<String> baseUrl;
    private final String node = HexFormat.of().toHexDigits(RANDOM.nextLong());

    private volatile boolean moreDue;

    public WebhookDispatcher(
            MetadataStore metadata,
            WebhookSecrets secrets,
            WebhookTransport transport,
            WrittenCounts counts,
            AuditService audit,
            Clock clock,
            Duration retryInitial,
            java.util.function.Supplier<String> baseUrl) {
        this.metadata = metadata;
        this.secrets = secrets;
        this.transport = transport;
        this.counts = counts;
        this.audit = audit;
        this.clock = clock;
        this.retryInitial = retryInitial;
        this.baseUrl = baseUrl;
    }

    /** Whether the last pass took as many due deliveries as a pass takes: more may be due, another pass at once. */
    public boolean moreDue() {
        return moreDue;
    }

    /** One pass: attempts every delivery due now (webhooks in parallel, each one's in event order); returns how many. */
    public int deliverDue() {
        moreDue = false;
        Instant now = clock.instant();
        List<WebhookDelivery> due = metadata.dueDeliveries(now, BATCH);
        if (due.isEmpty()) {
            return 0;
        }
        moreDue = due.size() >= BATCH;
        Map<String, List<WebhookDelivery>> byWebhook = new LinkedHashMap<>();
        for (WebhookDelivery d : due) {
            byWebhook.computeIfAbsent(d.webhookId(), k -> new ArrayList<>()).add(d);
        }
        Semaphore slots = new Semaphore(PARALLEL_WEBHOOKS);
        List<Future<Integer>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (List<WebhookDelivery> deliveries : byWebhook.values()) {
                running.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        return deliverAll(deliveries);
                    } finally {
                        slots.release();
                    }
                }));
            }
            int attempted = 0;
            for (Future<Integer> f : running) {
                try {
                    attempted += f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.warn("webhook deliveries failed: {}", e.getCause().toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return attempted;
        }
    }

    /** What one attempt came to. */
    enum Result {
        /** Another node has it, or it is no longer due: nothing was sent. */
        SKIPPED,
        DELIVERED,
        /** Will be tried again: the webhook's later events were postponed to that try (order is kept). */
        RETRY,
        /** Given up (a 4xx, a refused address, 24 h, the event gone). */
        GIVEN_UP
    }

    /**
     * One webhook's due deliveries in event order: the webhook read and its secret opened once; a
     * delivery to be tried again ends the batch (its later events were postponed to that try), so a
     * dead receiver costs one attempt per try and its events stay in order.
     */
    private int deliverAll(List<WebhookDelivery> deliveries) {
        Optional<Webhook> webhook = metadata.findWebhook(deliveries.get(0).webhookId());
        if (webhook.isEmpty()) {
            return 0; // deleted meanwhile: its deliveries went with it
        }
        Webhook w = webhook.get();
        String secret = secrets.open(w.id(), w.sealedSecret());
        Map<String, AuditEvent> events = metadata.findAudits(
                deliveries.stream().map(WebhookDelivery::eventId).toList());
        int attempted = 0;
        boolean failing = w.failingSince() != null || w.disabled();
        Result last = Result.SKIPPED;
        for (WebhookDelivery d : deliveries) {
            Result result = deliver(w, secret, d, events.get(d.eventId()));
            if (result == Result.SKIPPED) {
                continue;
            }
            attempted++;
            last = result;
            failing |= result != Result.DELIVERED;
            if (result == Result.RETRY) {
                break; // its receiver is failing: its later events were postponed to this one's next try
            }
        }
        if (last == Result.DELIVERED && failing) {
            metadata.webhookSucceeded(w.id()); // its last attempt got through: healthy again
        }
        return attempted;
    }

    /** Claims and attempts one delivery. */
    Result deliver(Webhook w, String secret, WebhookDelivery d, AuditEvent stored) {
        Instant now = clock.instant();
        String claim = node + "-" + HexFormat.of().toHexDigits(RANDOM.nextLong());
        if (!metadata.claimDelivery(d.webhookId(), d.eventId(), claim, now, now.plus(CLAIM_FOR))) {
            return Result.SKIPPED;
        }
        if (stored == null) {
            finish(
                    d,
                    claim,
                    new WebhookDelivery.Attempt(Status.FAILED, null, "the event is no longer stored", now, null));
            return Result.GIVEN_UP;
        }
        Outcome outcome = send(w, secret, d, stored);
        Instant after = clock.instant();
        if (outcome.delivered()) {
            finish(d, claim, new WebhookDelivery.Attempt(Status.DELIVERED, outcome.status(), null, after, null));
            return Result.DELIVERED;
        }
        Instant lastChance = d.createdAt().plus(GIVE_UP_AFTER);
        boolean expired = !after.isBefore(lastChance);
        Instant next = outcome.retry() && !expired ? min(after.plus(gapAfter(d.attempts() + 1)), lastChance) : null;
        String error =
                expired && outcome.retry() ? outcome.error() + "; gave up 24 h after the event" : outcome.error();
        finish(
                d,
                claim,
                new WebhookDelivery.Attempt(
                        next == null ? Status.FAILED : Status.PENDING, outcome.status(), error, after, next));
        if (next != null) {
            // the receiver is failing: its later events wait for this one's next try, on every node
            // (in order, one attempt per try, and never filling the head of the outbox for others)
            metadata.postponeDeliveries(w.id(), next);
        }
        if (metadata.webhookFailed(d.webhookId(), after, after.minus(GIVE_UP_AFTER), "failing for 24 h: " + error)) {
            audit.record(
                    Principal.system(),
                    AuditAction.WEBHOOK_DISABLED,
                    w.project(),
                    null,
                    Map.of("webhook", d.webhookId(), "lastError", error));
        }
        return next == null ? Result.GIVEN_UP : Result.RETRY;
    }

    /** How often a node looks for due deliveries when nothing wakes it: at most every second, often enough for the first retry. */
    public Duration lookEvery() {
        Duration half = retryInitial.dividedBy(2);
        return half.compareTo(Duration.ofSeconds(1)) < 0 ? half : Duration.ofSeconds(1);
    }

    /** The wait after {@code attempts} failed attempts: retryInitial, doubled each time, at most {@link #LONGEST_GAP}. */
    Duration gapAfter(int attempts) {
        Duration gap = retryInitial;
        for (int i = 1; i < attempts && gap.compareTo(LONGEST_GAP) < 0; i++) {
            gap = gap.multipliedBy(2);
        }
        return gap.compareTo(LONGEST_GAP) > 0 ? LONGEST_GAP : gap;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private record Outcome(boolean delivered, boolean retry, Integer status, String error) {}

    private Outcome send(Webhook w, String secret, WebhookDelivery d, AuditEvent e) {
        try {
            byte[] body = body(w, d, e);
            Map<String, String> headers = new LinkedHashMap<>(
                    WebhookSignature.headers(secret, e.id(), clock.instant().getEpochSecond(), body));
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", "Statefort-Webhooks/1");
            int status = transport.post(URI.create(w.url()), headers, body);
            if (status >= 200 && status < 300) {
                return new Outcome(true, false, status, null);
            }
            boolean retry = status >= 500 || status == 408 || status == 429;
            String error = "HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
            return new Outcome(false, retry, status, error);
        } catch (WebhookTargets.Refused refused) {
            return new Outcome(false, false, null, refused.getMessage());
        } catch (HttpTimeoutException | java.net.SocketTimeoutException timeout) {
            return new Outcome(false, true, null, "timed out");
        } catch (IOException io) {
            return new Outcome(false, true, null, "connection failed: " + describe(io));
        } catch (RuntimeException bug) {
            LOG.warn("webhook {} delivery failed: {}", w.id(), bug.toString());
            return new Outcome(
                    false, true, null, "send failed: " + bug.getClass().getSimpleName());
        }
    }

    private byte[] body(Webhook w, WebhookDelivery d, AuditEvent e) {
        if (w.format() == Webhook.Format.SLACK) {
            return EventDocument.bytes(EventDocument.slack(e, d.eventType(), baseUrl.get()));
        }
        ObjectNode extra = EventTypes.STATE_WRITTEN.equals(d.eventType()) ? counts.of(e) : null;
        return EventDocument.bytes(EventDocument.of(e, d.eventType(), baseUrl.get(), extra));
    }

    private void finish(WebhookDelivery d, String claim, WebhookDelivery.Attempt attempt) {
        if (!metadata.finishDelivery(d.webhookId(), d.eventId(), claim, attempt)) {
            LOG.warn(
                    "webhook {} delivery of {} outlived its claim; another node may send it again",
                    d.webhookId(),
                    d.eventId());
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
