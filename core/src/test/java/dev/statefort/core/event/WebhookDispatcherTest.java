package dev.statefort.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.crypto.WebhookSecrets;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.WebhookDelivery;
import dev.statefort.core.model.WebhookDelivery.Status;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.TestClock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery, retries, stops, the 24-hour cut-off and one send per event with two senders on one store. */
class WebhookDispatcherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final AuditService audit = new AuditService(metadata, clock);
    private final WebhookSecrets secrets = new WebhookSecrets(null);
    private final Receiver receiver = new Receiver();
    private WebhookAdministration admin;
    private final Principal alice = new Principal("user:alice", "p", Permission.ADMIN);

    /** A receiver that answers the scripted statuses (then 200) and keeps what it got. */
    static final class Receiver implements WebhookTransport {
        final Deque<Object> script = new ArrayDeque<>();
        final List<Map<String, String>> headers = Collections.synchronizedList(new ArrayList<>());
        final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());

        @Override
        public int post(URI url, Map<String, String> h, byte[] body) throws IOException {
            headers.add(h);
            bodies.add(body);
            Object next;
            synchronized (script) {
                next = script.poll();
            }
            if (next instanceof IOException e) {
                throw e;
            }
            return next == null ? 200 : (Integer) next;
        }
    }

    @BeforeEach
    void setUp() {
        metadata.createProject("p", clock.instant());
        admin = new WebhookAdministration(
                metadata,
                new ProjectService(metadata, audit, clock, null),
                secrets,
                new WebhookTargets(false, Set.of()),
                audit,
                clock,
                () -> {},
                new WebhookSubscriptions(metadata, clock));
    }

    private WebhookDispatcher dispatcher() {
        return new WebhookDispatcher(
                metadata,
                secrets,
                receiver,
                null,
                audit,
                clock,
                Duration.ofSeconds(30),
                () -> "https://state.example.com");
    }

    private AuditEvent lockTaken() {
        return audit.record(
                alice, AuditAction.LOCK_ACQUIRE, "p", "net", Map.of("lockId", "L1", "credential", Map.of("sub", "x")));
    }

    @Test
    void aDeliveryIsSignedAndCarriesTheEventWithoutTheCredentialTrace() throws Exception {
        var created = admin.create(alice, "p", "https://hooks.example.com/in", List.of("lock.acquired"), "json");
        AuditEvent event = lockTaken();
        assertThat(dispatcher().deliverDue()).isEqualTo(1);

        byte[] body = receiver.bodies.get(0);
        Map<String, String> h = receiver.headers.get(0);
        assertThat(h.get("webhook-id")).isEqualTo(event.id());
        String expected =
                WebhookSignature.sign(created.secret(), event.id(), Long.parseLong(h.get("webhook-timestamp")), body);
        assertThat(h.get("webhook-signature")).isEqualTo("v1," + expected);
        JsonNode doc = JSON.readTree(body);
        assertThat(doc.path("type").asText()).isEqualTo("lock.acquired");
        assertThat(doc.at("/data/project").asText()).isEqualTo("p");
        assertThat(doc.at("/data/state").asText()).isEqualTo("net");
        assertThat(doc.at("/data/detail/lockId").asText()).isEqualTo("L1");
        assertThat(doc.at("/data/url").asText()).isEqualTo("https://state.example.com/ui/projects/p/states/net");
        assertThat(new String(body)).doesNotContain("credential");
        WebhookDelivery d =
                metadata.findDelivery(created.webhook().id(), event.id()).orElseThrow();
        assertThat(d.status()).isEqualTo(Status.DELIVERED);
        assertThat(d.lastStatus()).isEqualTo(200);
        assertThat(dispatcher().deliverDue()).as("delivered once").isZero();
    }

    @Test
    void fiveHundredTwiceThenOkIsThreeAttemptsWithGrowingGaps() {
        var created = admin.create(alice, "p", "https://hooks.example.com/in", List.of("*"), null);
        receiver.script.addAll(List.of(500, 500));
        AuditEvent event = lockTaken();
        String id = created.webhook().id();
        WebhookDispatcher sender = dispatcher();

        sender.deliverDue();
        WebhookDelivery first = metadata.findDelivery(id, event.id()).orElseThrow();
        assertThat(first.status()).isEqualTo(Status.PENDING);
        assertThat(first.lastStatus()).isEqualTo(500);
        assertThat(first.lastError()).isEqualTo("HTTP 500");
        assertThat(Duration.between(first.lastAttemptAt(), first.nextAttemptAt()))
                .isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        assertThat(sender.deliverDue()).as("not due yet").isZero();
        clock.advance(Duration.ofSeconds(1));
        sender.deliverDue();
        WebhookDelivery second = metadata.findDelivery(id, event.id()).orElseThrow();
        assertThat(Duration.between(second.lastAttemptAt(), second.nextAttemptAt()))
                .isEqualTo(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        sender.deliverDue();
        WebhookDelivery done = metadata.findDelivery(id, event.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(Status.DELIVERED);
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(receiver.bodies).hasSize(3);
        assertThat(receiver.headers).extracting(h -> h.get("webhook-id")).containsOnly(event.id());
    }

    @Test
    void aFourHundredStopsButA429OrATimeoutIsTriedAgain() {
        var created = admin.create(alice, "p", "https://hooks.example.com/in", List.of("*"), null);
        receiver.script.addAll(List.of(404, 429, new java.net.http.HttpTimeoutException("slow")));
        AuditEvent gone = lockTaken();
        AuditEvent busy = audit.record(alice, AuditAction.LOCK_RELEASE, "p", "net", Map.of());
        WebhookDispatcher sender = dispatcher();
        sender.deliverDue();
        String id = created.webhook().id();
        assertThat(metadata.findDelivery(id, gone.id()).orElseThrow().status()).isEqualTo(Status.FAILED);
        assertThat(metadata.findDelivery(id, busy.id()).orElseThrow().status()).isEqualTo(Status.PENDING);
        clock.advance(Duration.ofSeconds(30));
        sender.deliverDue();
        WebhookDelivery timedOut = metadata.findDelivery(id, busy.id()).orElseThrow();
        assertThat(timedOut.lastError()).isEqualTo("timed out");
        assertThat(timedOut.status()).isEqualTo(Status.PENDING);

        admin.redeliver(alice, "p", id, gone.id());
        sender.deliverDue();
        assertThat(metadata.findDelivery(id, gone.id()).orElseThrow().status()).isEqualTo(Status.DELIVERED);
    }

    @Test
    void aDeadReceiversBacklogCostsOneAttemptPerTryAndDelaysNobodyElse() {
        admin.create(alice, "p", "https://dead.example.com/in", List.of("lock.acquired"), null);
        admin.create(alice, "p", "https://alive.example.com/in", List.of("lock.released"), null);
        Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
        WebhookTransport byHost = (url, headers, body) -> {
            calls.merge(url.getHost(), 1, Integer::sum);
            return url.getHost().startsWith("dead") ? 503 : 200;
        };
        for (int i = 0; i < 20; i++) {
            lockTaken();
            audit.record(alice, AuditAction.LOCK_RELEASE, "p", "net", Map.of());
        }
        WebhookDispatcher sender = new WebhookDispatcher(
                metadata, secrets, byHost, null, audit, clock, Duration.ofSeconds(30), () -> null);
        sender.deliverDue();
        sender.deliverDue();
        assertThat(calls).containsEntry("alive.example.com", 20).containsEntry("dead.example.com", 1);
        clock.advance(Duration.ofSeconds(30));
        sender.deliverDue();
        assertThat(calls.get("dead.example.com")).as("one more try, not twenty").isEqualTo(2);
    }

    @Test
    void aRefusedAddressIsNeverRetriedAndARedirectIsNotFollowed() {
        var created = admin.create(alice, "p", "https://hooks.example.com/in", List.of("*"), null);
        receiver.script.addAll(List.of(new WebhookTargets.Refused("refused: resolves to the private address"), 302));
        AuditEvent refused = lockTaken();
        AuditEvent redirected = audit.record(alice, AuditAction.LOCK_RELEASE, "p", "net", Map.of());
        dispatcher().deliverDue();
        String id = created.webhook().id();
        assertThat(metadata.findDelivery(id, refused.id()).orElseThrow())
                .extracting(WebhookDelivery::status, WebhookDelivery::lastError)
                .containsExactly(Status.FAILED, "refused: resolves to the private address");
        assertThat(metadata.findDelivery(id, redirected.id()).orElseThrow())
                .extracting(WebhookDelivery::status, WebhookDelivery::lastError)
                .containsExactly(Status.FAILED, "HTTP 302 (redirects are not followed)");
    }

    @Test
    void aReceiverFailingForADayIsGivenUpAndItsWebhookDisabledUntilAPingGetsThrough() {
        var created = admin.create(alice, "p", "https://hooks.example.com/in", List.of("*"), null);
        String id = created.webhook().id();
        for (int i = 0; i < 40; i++) {
            receiver.script.add(503);
        }
        AuditEvent event = lockTaken();
        WebhookDispatcher sender = dispatcher();
        Instant end = clock.instant().plus(Duration.ofHours(25));
        while (clock.instant().isBefore(end)) {
            sender.deliverDue();
            clock.advance(Duration.ofMinutes(10));
        }
        WebhookDelivery given = metadata.findDelivery(id, event.id()).orElseThrow();
        assertThat(given.status()).isEqualTo(Status.FAILED);
        assertThat(given.lastError()).contains("gave up 24 h after the event");
        assertThat(given.attempts()).as("30 s, doubled, at most 2 h apart").isBetween(15, 25);
        assertThat(metadata.findWebhook(id).orElseThrow().disabled()).isTrue();
        assertThat(metadata.listAudit(new AuditQuery("p", null, null, "webhook.disabled", null, null, 10, null)))
                .hasSize(1);
        lockTaken();
        assertThat(metadata.listDeliveries(id, 10))
                .as("a disabled webhook queues nothing")
                .hasSize(1);

        receiver.script.clear();
        admin.ping(alice, "p", id);
        sender.deliverDue();
        assertThat(metadata.findWebhook(id).orElseThrow().disabled()).isFalse();
    }

    /** Passes (at most ten deliveries of a webhook each) until a pass finds nothing due. */
    private int untilNothingIsDue(WebhookDispatcher sender) {
        int total = 0;
        for (int pass = 0; pass < 100; pass++) {
            int n = sender.deliverDue();
            total += n;
            if (n == 0 && metadata.dueDeliveries(clock.instant(), 1).isEmpty()) {
                return total;
            }
        }
        return total;
    }

    @Test
    void twoSendersOnOneStoreSendEachEventOnce() throws Exception {
        admin.create(alice, "p", "https://hooks.example.com/a", List.of("*"), null);
        admin.create(alice, "p", "https://hooks.example.com/b", List.of("lock.acquired"), "slack");
        for (int i = 0; i < 30; i++) {
            lockTaken();
        }
        WebhookDispatcher one = dispatcher();
        WebhookDispatcher two = dispatcher();
        java.util.concurrent.Callable<Integer> untilNothingIsDue1 = () -> untilNothingIsDue(one);
        java.util.concurrent.Callable<Integer> untilNothingIsDue2 = () -> untilNothingIsDue(two);
        try (var threads = Executors.newFixedThreadPool(2)) {
            Future<Integer> a = threads.submit(untilNothingIsDue1);
            Future<Integer> b = threads.submit(untilNothingIsDue2);
            assertThat(a.get() + b.get()).isEqualTo(60);
        }
        assertThat(receiver.bodies).hasSize(60);
        assertThat(receiver.headers.stream()
                        .map(h -> h.get("webhook-id") + h.get("webhook-signature"))
                        .distinct())
                .hasSize(60);
        assertThat(receiver.bodies.stream().filter(b -> new String(b).startsWith("{\"text\":")))
                .as("the slack webhook's messages")
                .hasSize(30);
    }
}
