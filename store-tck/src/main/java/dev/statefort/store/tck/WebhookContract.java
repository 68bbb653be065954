package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.Webhook;
import dev.statefort.core.model.WebhookDelivery;
import dev.statefort.core.model.WebhookDelivery.Status;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Webhooks, their outbox (a delivery added in the transaction that appends an event, claimed by
 * one node, finished under its claim) and the stale marks of idle locks. A group of {@link
 * MetadataStoreContract}.
 */
public abstract class WebhookContract extends MetadataStoreContractGroup {

    private Webhook webhook(String id, List<String> events, Instant createdAt) {
        store.createProject(PROJECT, T0);
        return new Webhook(
                id,
                PROJECT,
                "https://hooks.example/" + id,
                events,
                Webhook.Format.JSON,
                "sealed-" + id,
                createdAt,
                "user:alice",
                null,
                null,
                null);
    }

    private AuditEvent event(String action, String state) {
        return new AuditEvent(null, at(10), "user:alice", null, action, AuditEvent.OK, PROJECT, state, null, "{}");
    }

    @Test
    void aWebhookIsStoredListedAndDeletedWithItsDeliveries() {
        Webhook a = webhook("wh_a", List.of("lock.stale", "guard.refused"), at(1));
        Webhook b = webhook("wh_b", List.of("*"), at(2));
        store.createWebhook(b.withSealedSecret("sealed-b"));
        store.createWebhook(a);
        assertThat(store.listWebhooks(PROJECT)).extracting(Webhook::id).containsExactly("wh_a", "wh_b");
        Webhook read = store.findWebhook("wh_a").orElseThrow();
        assertThat(read.events()).containsExactly("lock.stale", "guard.refused");
        assertThat(read.createdAt()).isEqualTo(ms(at(1)));
        assertThat(read.url()).isEqualTo("https://hooks.example/wh_a");
        assertThat(read.format()).isEqualTo(Webhook.Format.JSON);
        assertThat(read.disabled()).isFalse();
        assertThat(store.listAllWebhooks()).extracting(Webhook::id).containsExactly("wh_a", "wh_b");

        store.appendAudit(event("state.write", "s"));
        assertThat(store.listDeliveries("wh_b", 10)).hasSize(1);
        assertThat(store.deleteWebhook("other", "wh_b")).as("another project's").isFalse();
        assertThat(store.deleteWebhook(PROJECT, "wh_b")).isTrue();
        assertThat(store.findWebhook("wh_b")).isEmpty();
        assertThat(store.listDeliveries("wh_b", 10)).isEmpty();
        assertThat(store.dueDeliveries(at(60_000), 10)).isEmpty();
        assertThatThrownBy(() -> store.createWebhook(new Webhook(
                        "wh_x",
                        "nope",
                        "https://x",
                        List.of("*"),
                        Webhook.Format.SLACK,
                        "s",
                        T0,
                        "u",
                        null,
                        null,
                        null)))
                .isInstanceOf(ProjectNotFoundException.class);
    }

    @Test
    void anEventFansOutToEveryWebhookThatReceivesItsTypeInTheSameAppend() {
        store.createWebhook(webhook("wh_stale", List.of("lock.stale"), at(1)));
        store.createWebhook(webhook("wh_all", List.of("*"), at(2)));
        store.createWebhook(webhook("wh_write", List.of("state.written"), at(3)));
        AuditEvent write = store.appendAudit(event("state.write", "s"));
        store.appendAudit(event("token.create", null)); // not an event
        store.appendAudit(
                new AuditEvent(null, at(11), "u", null, "lock.acquire", AuditEvent.REFUSED, PROJECT, "s", null, "{}"));

        List<WebhookDelivery> due = store.dueDeliveries(at(10), 10);
        assertThat(due).extracting(WebhookDelivery::webhookId).containsExactly("wh_all", "wh_write");
        WebhookDelivery d = due.get(0);
        assertThat(d.eventId()).isEqualTo(write.id());
        assertThat(d.eventType()).isEqualTo("state.written");
        assertThat(d.status()).isEqualTo(Status.PENDING);
        assertThat(d.attempts()).isZero();
        assertThat(d.nextAttemptAt()).isEqualTo(write.at());
        assertThat(store.listDeliveries("wh_stale", 10)).isEmpty();
        assertThat(store.findAudit(write.id())).contains(write);
        assertThat(store.findAudits(List.of(write.id(), "0000000000000000-no-such-event")))
                .containsOnlyKeys(write.id())
                .containsEntry(write.id(), write);
    }

    @Test
    void oneClaimWinsAndTheAttemptIsRecordedUnderIt() throws Exception {
        store.createWebhook(webhook("wh", List.of("*"), at(1)));
        AuditEvent e = store.appendAudit(event("lock.acquire", "s"));
        AtomicInteger wins = new AtomicInteger();
        runConcurrently(4, i -> {
            if (store.claimDelivery("wh", e.id(), "node-" + i, at(20), at(80_000))) {
                wins.incrementAndGet();
            }
            return null;
        });
        assertThat(wins).hasValue(1);
        assertThat(store.dueDeliveries(at(30), 10)).as("claimed: not due").isEmpty();
        String owner = store.claimDelivery("wh", e.id(), "late", at(90_000), at(200_000)) ? "late" : null;
        assertThat(owner).as("a claim that ran out is taken over").isEqualTo("late");

        assertThat(store.finishDelivery(
                        "wh",
                        e.id(),
                        "stale-claim",
                        new WebhookDelivery.Attempt(Status.DELIVERED, 200, null, at(1), null)))
                .isFalse();
        assertThat(store.finishDelivery(
                        "wh",
                        e.id(),
                        "late",
                        new WebhookDelivery.Attempt(Status.PENDING, 500, "HTTP 500", at(90_001), at(120_000))))
                .isTrue();
        WebhookDelivery d = store.findDelivery("wh", e.id()).orElseThrow();
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.status()).isEqualTo(Status.PENDING);
        assertThat(d.lastStatus()).isEqualTo(500);
        assertThat(d.lastError()).isEqualTo("HTTP 500");
        assertThat(d.lastAttemptAt()).isEqualTo(ms(at(90_001)));
        assertThat(d.nextAttemptAt()).isEqualTo(ms(at(120_000)));
        assertThat(store.dueDeliveries(at(100_000), 10)).isEmpty();
        assertThat(store.dueDeliveries(at(120_000), 10)).hasSize(1);

        assertThat(store.claimDelivery("wh", e.id(), "c2", at(120_000), at(180_000)))
                .isTrue();
        assertThat(store.finishDelivery(
                        "wh",
                        e.id(),
                        "c2",
                        new WebhookDelivery.Attempt(Status.DELIVERED, 204, null, at(120_001), null)))
                .isTrue();
        d = store.findDelivery("wh", e.id()).orElseThrow();
        assertThat(d.status()).isEqualTo(Status.DELIVERED);
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.nextAttemptAt()).isNull();
        assertThat(store.dueDeliveries(at(10_000_000), 10)).isEmpty();

        assertThat(store.redeliver("wh", e.id(), at(200_000))).isTrue();
        assertThat(store.dueDeliveries(at(200_000), 10))
                .extracting(WebhookDelivery::attempts)
                .containsExactly(2);
        assertThat(store.redeliver("wh", "no-such-event", at(200_000))).isFalse();
    }

    @Test
    void aWebhookFailingLongEnoughIsDisabledOnceAndASuccessTurnsItBackOn() {
        store.createWebhook(webhook("wh", List.of("*"), at(1)));
        assertThat(store.webhookFailed("wh", at(1_000), at(0), "failing")).isFalse();
        assertThat(store.findWebhook("wh").orElseThrow().failingSince()).isEqualTo(ms(at(1_000)));
        assertThat(store.webhookFailed("wh", at(5_000), at(2_000), "failing for 24 h"))
                .isTrue();
        assertThat(store.webhookFailed("wh", at(6_000), at(2_000), "again")).isFalse();
        Webhook w = store.findWebhook("wh").orElseThrow();
        assertThat(w.disabledAt()).isEqualTo(ms(at(5_000)));
        assertThat(w.disabledReason()).isEqualTo("failing for 24 h");
        store.appendAudit(event("state.write", "s"));
        assertThat(store.listDeliveries("wh", 10))
                .as("a disabled webhook queues nothing")
                .isEmpty();

        store.webhookSucceeded("wh");
        w = store.findWebhook("wh").orElseThrow();
        assertThat(w.disabled()).isFalse();
        assertThat(w.failingSince()).isNull();
        assertThat(store.replaceWebhookSecret("wh", "wrong", "new")).isFalse();
        assertThat(store.replaceWebhookSecret("wh", "sealed-wh", "new")).isTrue();
        assertThat(store.findWebhook("wh").orElseThrow().sealedSecret()).isEqualTo("new");
    }

    @Test
    void aFailingWebhooksBacklogIsPostponedSoTheOthersAreDueFirst() {
        store.createWebhook(webhook("wh_dead", List.of("lock.acquired"), at(1)));
        for (int i = 0; i < 30; i++) {
            store.appendAudit(event("lock.acquire", "s"));
        }
        store.createWebhook(webhook("wh_alive", List.of("state.written"), at(2)));
        AuditEvent write = store.appendAudit(event("state.write", "s"));
        store.postponeDeliveries("wh_dead", at(60_000));
        assertThat(store.dueDeliveries(at(10), 5))
                .extracting(WebhookDelivery::webhookId, WebhookDelivery::eventId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("wh_alive", write.id()));
        assertThat(store.dueDeliveries(at(60_000), 100)).hasSize(31);
        assertThat(store.listDeliveries("wh_dead", 1).get(0).nextAttemptAt()).isEqualTo(ms(at(60_000)));
    }

    @Test
    void aPingGoesToItsWebhookAlone() {
        store.createWebhook(webhook("wh_a", List.of("*"), at(1)));
        store.createWebhook(webhook("wh_b", List.of("*"), at(2)));
        AuditEvent ping = store.appendAuditFor("wh_a", "webhook.ping", event("webhook.ping", null))
                .orElseThrow();
        assertThat(store.dueDeliveries(at(10), 10))
                .extracting(WebhookDelivery::webhookId, WebhookDelivery::eventType, WebhookDelivery::eventId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("wh_a", "webhook.ping", ping.id()));
        assertThat(store.appendAuditFor("wh_none", "webhook.ping", event("webhook.ping", null)))
                .isEmpty();
    }

    @Test
    void eventsAreReadBackInOrderAfterAnId() {
        StateKey key = state("s");
        AuditEvent first = store.appendAudit(event("lock.acquire", key.name()));
        AuditEvent second = store.appendAudit(event("state.write", key.name()));
        AuditEvent third = store.appendAudit(event("lock.release", key.name()));
        assertThat(store.listAuditAfter(PROJECT, null, 10))
                .extracting(AuditEvent::id)
                .containsExactly(first.id(), second.id(), third.id());
        assertThat(store.listAuditAfter(PROJECT, first.id(), 1))
                .extracting(AuditEvent::id)
                .containsExactly(second.id());
        assertThat(store.listAuditAfter("other", null, 10)).isEmpty();
    }

    @Test
    void anIdleLockIsMarkedStaleOnceWithItsEvent() throws Exception {
        StateKey key = state("s");
        lock(key, "L1", at(0));
        StateKey planned = state("planned");
        assertThat(store.tryLock(planned, PlanLockContract.planRequest("P1", at(5))))
                .isInstanceOf(LockResult.Acquired.class);
        assertThat(store.findIdleLocks(at(1), 10))
                .extracting(l -> l.lock().id())
                .containsExactly("L1");
        assertThat(store.findIdleLocks(at(60_000), 10))
                .extracting(l -> l.lock().id())
                .containsExactly("L1", "P1");
        assertThat(store.markLockStale(key, "L1", at(0), null))
                .as("not idle before then")
                .isFalse();

        AtomicInteger wins = new AtomicInteger();
        runConcurrently(4, i -> {
            if (store.markLockStale(key, "L1", at(60_000), event("lock.stale", key.name()))) {
                wins.incrementAndGet();
            }
            return null;
        });
        assertThat(wins).hasValue(1);
        assertThat(store.listAuditAfter(PROJECT, null, 10))
                .extracting(AuditEvent::action)
                .containsExactly("lock.stale");
        assertThat(store.markLockStale(planned, "P1", at(60_000), null)).isTrue();
        assertThat(store.markLockStale(planned, "P1", at(60_000), null)).isFalse();
        assertThat(store.findIdleLocks(at(60_000), 10)).isEmpty();

        store.unlock(key, "L1");
        lock(key, "L2", at(100));
        assertThat(store.findIdleLocks(at(60_000), 10))
                .as("a new lock is watched again")
                .extracting(l -> l.lock().id())
                .containsExactly("L2");
        LockRequest retry = lockRequest("L2", at(70_000));
        store.tryLock(key, retry);
        assertThat(store.findIdleLocks(at(60_000), 10)).as("activity moved").isEmpty();
    }
}
