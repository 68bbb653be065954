package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.model.VersionCommit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit log: append, order, filter, page. A group of {@link MetadataStoreContract}. */
public abstract class AuditContract extends MetadataStoreContractGroup {
    private static AuditEvent event(Instant at, String action, String project, String state) {
        return new AuditEvent(null, at, "admin", action, project, state, "{\"n\":1}");
    }

    @Test
    void appendAuditAssignsAnIdAndStoresAllFieldsAtMillisecondPrecision() {
        AuditEvent given = new AuditEvent("ignored", at(5), "tok_1", "state.restore", "p", "s", "{\"version\":3}");
        AuditEvent stored = store.appendAudit(given);
        assertThat(stored.id()).isNotBlank().isNotEqualTo("ignored");
        assertThat(stored)
                .isEqualTo(
                        new AuditEvent(stored.id(), ms(at(5)), "tok_1", "state.restore", "p", "s", "{\"version\":3}"));
        assertThat(store.listAudit(all(10))).containsExactly(stored);

        AuditEvent global = store.appendAudit(new AuditEvent(null, at(6), null, "token.create", null, null, null));
        assertThat(global.project()).isNull();
        assertThat(store.listAudit(all(10))).containsExactly(global, stored);
    }

    @Test
    void aGrantedLockAndAReleaseStoreTheirEventsWithThemAndRefusalsStoreNothing() {
        StateKey key = state("locked");
        LockRequest first = new LockRequest(
                lockInfo("l-1", "OperationTypeApply"), "a", at(1), event(at(1), "lock.acquire", PROJECT, "locked"));
        assertThat(store.tryLock(key, first)).isInstanceOf(LockResult.Acquired.class);
        LockRequest other = new LockRequest(
                lockInfo("l-2", "OperationTypeApply"), "b", at(2), event(at(2), "must-not-appear", PROJECT, "locked"));
        assertThat(store.tryLock(key, other)).isInstanceOf(LockResult.HeldBy.class);
        assertThat(store.unlock(key, "l-2", event(at(3), "must-not-appear", PROJECT, "locked")))
                .isInstanceOf(UnlockResult.HeldBy.class);
        // a force-unlock names no lock: the store fills in the one it released, in the same transaction
        assertThat(store.unlock(key, null, event(at(4), "lock.force-unlock", PROJECT, "locked")))
                .isInstanceOf(UnlockResult.Released.class);
        assertThat(store.unlock(key, null, event(at(5), "must-not-appear", PROJECT, "locked")))
                .isInstanceOf(UnlockResult.NotLocked.class);

        List<AuditEvent> stored = store.listAudit(all(10));
        assertThat(stored).extracting(AuditEvent::action).containsExactly("lock.force-unlock", "lock.acquire");
        // the released lock's ID comes first, what the event said stays
        assertThat(stored.get(0).detail()).isEqualTo("{\"lockId\":\"l-1\",\"n\":1}");
    }

    @Test
    void eventsAppendedLaterAreListedInOrderByTheNextRead() {
        store.appendAuditLater(event(at(1), "first", PROJECT, "s"));
        AuditEvent between = store.appendAudit(event(at(2), "second", PROJECT, "s"));
        for (int i = 0; i < 20; i++) {
            store.appendAuditLater(event(at(3 + i), "later-" + i, PROJECT, "s"));
        }
        List<AuditEvent> listed = store.listAudit(all(50));
        assertThat(listed).hasSize(22).contains(between);
        assertThat(listed.get(0).action()).isEqualTo("later-19");
        assertThat(listed.get(listed.size() - 1).action()).isEqualTo("first");
        assertThat(listed).allSatisfy(e -> assertThat(e.id()).isNotBlank());
    }

    @Test
    void eventsAtTheSameTimeGetDistinctIds() {
        HashSet<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(store.appendAudit(event(T0, "a", "p", null)).id());
        }
        assertThat(ids).hasSize(5);
        assertThat(store.listAudit(all(10))).hasSize(5);
        assertThat(store.listAudit(all(10))).extracting(AuditEvent::id).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void listAuditIsNewestFirstByTimeWhateverTheAppendOrder() {
        AuditEvent middle = store.appendAudit(event(at(2_000), "a", "p", null));
        AuditEvent newest = store.appendAudit(event(at(3_000), "a", "p", null));
        AuditEvent oldest = store.appendAudit(event(at(1_000), "a", "p", null));
        assertThat(store.listAudit(all(10))).containsExactly(newest, middle, oldest);
        assertThat(store.listAudit(new AuditQuery(null, null, null, 10, newest.id())))
                .containsExactly(middle, oldest);
        assertThat(store.listAudit(new AuditQuery(null, null, null, 10, oldest.id())))
                .isEmpty();
    }

    /** 25 events one second apart: projects p/q alternate, states s0..s2, actions a/b/c. */
    private List<AuditEvent> append25() {
        List<AuditEvent> appended = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            appended.add(store.appendAudit(
                    event(at(i * 1_000L), "action." + "abc".charAt(i % 3), i % 2 == 0 ? "p" : "q", "s" + (i % 3))));
        }
        return appended.reversed();
    }

    @Test
    void listAuditPagesOverTwentyFiveEventsWithLimitTen() {
        List<AuditEvent> newestFirst = append25();
        List<List<AuditEvent>> pages = pages(before -> new AuditQuery(null, null, null, 10, before));
        assertThat(pages).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(newestFirst);
    }

    @Test
    void listAuditFiltersByProjectStateAndActionWhilePaging() {
        List<AuditEvent> newestFirst = append25();

        List<List<AuditEvent>> byProject = pages(before -> new AuditQuery("p", null, null, 10, before));
        assertThat(byProject).extracting(List::size).containsExactly(10, 3);
        assertThat(byProject.stream().flatMap(List::stream).toList())
                .isEqualTo(newestFirst.stream()
                        .filter(e -> e.project().equals("p"))
                        .toList());

        List<List<AuditEvent>> byAction = pages(before -> new AuditQuery(null, null, "action.a", 4, before));
        assertThat(byAction).extracting(List::size).containsExactly(4, 4, 1);
        assertThat(byAction.stream().flatMap(List::stream).toList())
                .isEqualTo(newestFirst.stream()
                        .filter(e -> e.action().equals("action.a"))
                        .toList());

        List<AuditEvent> combined = store.listAudit(new AuditQuery("q", "s1", "action.b", 10, null));
        assertThat(combined)
                .isEqualTo(newestFirst.stream()
                        .filter(e -> e.project().equals("q"))
                        .filter(e -> e.state().equals("s1"))
                        .filter(e -> e.action().equals("action.b"))
                        .toList());
        assertThat(combined).isNotEmpty();

        assertThat(store.listAudit(new AuditQuery(null, "s2", null, 100, null)))
                .hasSize(8)
                .allMatch(e -> e.state().equals("s2"));
        assertThat(store.listAudit(new AuditQuery("nope", null, null, 10, null)))
                .isEmpty();
    }

    @Test
    void appendAuditStoresSourceIpOutcomeAndVersion() {
        AuditEvent refused = new AuditEvent(
                null, at(1), "user:alice", "203.0.113.7", "state.write", AuditEvent.REFUSED, "p", "s", 42L, "{}");
        AuditEvent denied = new AuditEvent(
                null, at(2), "token:x", "2001:db8::1", "state.read", AuditEvent.DENIED, "p", "s", null, null);
        AuditEvent storedRefused = store.appendAudit(refused);
        AuditEvent storedDenied = store.appendAudit(denied);
        assertThat(storedRefused).isEqualTo(refused.stored(storedRefused.id(), ms(at(1))));
        assertThat(storedDenied).isEqualTo(denied.stored(storedDenied.id(), ms(at(2))));
        assertThat(store.listAudit(all(10))).containsExactly(storedDenied, storedRefused);

        AuditEvent compat = store.appendAudit(new AuditEvent(null, at(3), "cli", "token.create", null, null, null));
        AuditEvent read = store.listAudit(all(1)).getFirst();
        assertThat(read).isEqualTo(compat);
        assertThat(read.outcome()).isEqualTo(AuditEvent.OK);
        assertThat(read.sourceIp()).isNull();
        assertThat(read.version()).isNull();
    }

    @Test
    void aCommitWithAnAuditEventAppendsItWithTheNewVersionNumber() {
        StateKey key = state("audited");
        commit(key, "k1", at(1), null);
        AuditEvent write = new AuditEvent(
                null, at(2), "token:t", "192.0.2.1", "state.write", AuditEvent.OK, PROJECT, "audited", null, "{}");

        var result = store.commitVersion(VersionCommit.of(key, newVersion("k2", at(2)), null)
                .withRetention(dev.statefort.core.model.RetentionPolicy.KEEP_ALL)
                .withAudit(write));

        assertThat(result).isInstanceOf(dev.statefort.core.model.CommitResult.Committed.class);
        List<AuditEvent> events = store.listAudit(all(10));
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().version()).isEqualTo(2L);
        assertThat(events.getFirst())
                .isEqualTo(write.withVersion(2).stored(events.getFirst().id(), ms(at(2))));
    }

    @Test
    void aRefusedCommitAppendsNoAuditEvent() {
        StateKey key = state("refused");
        lock(key, "holder", at(1));
        AuditEvent write = new AuditEvent(
                null, at(2), "token:t", null, "state.write", AuditEvent.OK, PROJECT, "refused", null, "{}");

        var result = store.commitVersion(VersionCommit.of(key, newVersion("k1", at(2)), "other")
                .withRetention(dev.statefort.core.model.RetentionPolicy.KEEP_ALL)
                .withAudit(write));

        assertThat(result).isInstanceOf(dev.statefort.core.model.CommitResult.LockedBy.class);
        assertThat(store.listAudit(all(10))).isEmpty();
    }

    /** 30 events one second apart: principals a/b/c, alternating projects p/q. */
    private List<AuditEvent> append30ByPrincipal() {
        List<AuditEvent> appended = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            appended.add(store.appendAudit(new AuditEvent(
                    null,
                    at(i * 1_000L),
                    "user:" + "abc".charAt(i % 3),
                    "10.0.0." + i,
                    "state.write",
                    AuditEvent.OK,
                    i % 2 == 0 ? "p" : "q",
                    "s",
                    (long) i,
                    null)));
        }
        return appended.reversed();
    }

    @Test
    void listAuditFiltersByPrincipalWhilePaging() {
        List<AuditEvent> newestFirst = append30ByPrincipal();
        List<List<AuditEvent>> byPrincipal =
                pages(before -> new AuditQuery(null, null, "user:b", null, null, null, 4, before));
        assertThat(byPrincipal).extracting(List::size).containsExactly(4, 4, 2);
        assertThat(byPrincipal.stream().flatMap(List::stream).toList())
                .isEqualTo(newestFirst.stream()
                        .filter(e -> e.principal().equals("user:b"))
                        .toList());

        assertThat(store.listAudit(new AuditQuery("p", null, "user:a", null, null, null, 100, null)))
                .isEqualTo(newestFirst.stream()
                        .filter(e ->
                                e.principal().equals("user:a") && e.project().equals("p"))
                        .toList())
                .hasSize(5);
        assertThat(store.listAudit(new AuditQuery(null, null, "user:nobody", null, null, null, 10, null)))
                .isEmpty();
    }

    @Test
    void listAuditFromIsInclusiveAndToIsExclusive() {
        List<AuditEvent> newestFirst = append30ByPrincipal();
        // Stored times are at(i * 1000) truncated to milliseconds.
        Instant from = ms(at(10_000));
        Instant to = ms(at(20_000));
        List<AuditEvent> window = store.listAudit(new AuditQuery(null, null, null, null, from, to, 100, null));
        assertThat(window)
                .extracting(AuditEvent::version)
                .containsExactly(19L, 18L, 17L, 16L, 15L, 14L, 13L, 12L, 11L, 10L);
        assertThat(window)
                .isEqualTo(newestFirst.stream()
                        .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to))
                        .toList());

        // A nanosecond past a stored millisecond: the event at 'from' is now before it, the one at 'to' is not.
        List<AuditEvent> shifted =
                store.listAudit(new AuditQuery(null, null, null, null, from.plusNanos(1), to.plusNanos(1), 100, null));
        assertThat(shifted)
                .extracting(AuditEvent::version)
                .containsExactly(20L, 19L, 18L, 17L, 16L, 15L, 14L, 13L, 12L, 11L);

        assertThat(store.listAudit(new AuditQuery(null, null, null, null, ms(at(25_000)), null, 100, null)))
                .extracting(AuditEvent::version)
                .containsExactly(29L, 28L, 27L, 26L, 25L);
        assertThat(store.listAudit(new AuditQuery(null, null, null, null, null, ms(at(2_000)), 100, null)))
                .extracting(AuditEvent::version)
                .containsExactly(1L, 0L);
        assertThat(store.listAudit(new AuditQuery(null, null, null, null, to, from, 100, null)))
                .isEmpty();
    }

    @Test
    void listAuditFiltersByTimeAndPrincipalWhilePaging() {
        List<AuditEvent> newestFirst = append30ByPrincipal();
        AuditQuery filter = new AuditQuery(null, null, "user:c", null, at(3_000), at(27_000), 1, null);
        List<List<AuditEvent>> walked = pages(
                before -> new AuditQuery(null, null, filter.principal(), null, filter.from(), filter.to(), 3, before));
        assertThat(walked).extracting(List::size).containsExactly(3, 3, 2);
        List<AuditEvent> expected = newestFirst.stream().filter(filter::matches).toList();
        assertThat(expected).hasSize(8);
        assertThat(walked.stream().flatMap(List::stream).toList()).isEqualTo(expected);
    }

    @Test
    void auditEventsOutliveTheStateTheyDescribe() {
        StateKey key = state("s");
        commitMany(key, 1);
        AuditEvent e = store.appendAudit(event(at(1), "state.delete", PROJECT, "s"));
        store.deleteState(key, null);
        assertThat(store.listAudit(new AuditQuery(PROJECT, "s", null, 10, null)))
                .containsExactly(e);
    }

    /** Issue 14: a node whose clock is behind never makes a state's events sort out of the order they were appended. */
    @Test
    void anEventOfAStateSortsAfterTheStatesNewestEvenFromANodeWhoseClockIsBehind() {
        AuditEvent first = store.appendAudit(event(at(5_000), "lock.acquire", PROJECT, "s"));
        AuditEvent behind = store.appendAudit(event(at(3_000), "state.write", PROJECT, "s"));
        assertThat(behind.id()).isGreaterThan(first.id());
        assertThat(behind.at()).isEqualTo(ms(at(5_000)));
        AuditEvent again = store.appendAudit(event(at(3_000), "lock.release", PROJECT, "s"));
        assertThat(again.id()).isGreaterThan(behind.id());
        assertThat(store.listAudit(new AuditQuery(PROJECT, "s", null, 10, null)))
                .extracting(AuditEvent::action)
                .containsExactly("lock.release", "state.write", "lock.acquire");
        AuditEvent elsewhere = store.appendAudit(event(at(3_000), "state.write", PROJECT, "other"));
        assertThat(elsewhere.at()).as("another state keeps its own time").isEqualTo(ms(at(3_000)));
    }
}
