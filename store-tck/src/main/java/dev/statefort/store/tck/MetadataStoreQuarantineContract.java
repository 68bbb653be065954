package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.state.DeleteResult;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.version.CommitResult;
import dev.statefort.core.version.NewVersion;
import dev.statefort.core.version.PageRequest;
import dev.statefort.core.version.QuarantineRecord;
import dev.statefort.core.version.RetentionPolicy;
import dev.statefort.core.version.VersionCommit;
import dev.statefort.core.version.VersionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Lock expiry with fencing, and the quarantine of refused writes. Part of {@link MetadataStoreContract}. */
public abstract class MetadataStoreQuarantineContract extends MetadataStoreHistoryContract {

    private static final List<String> REASONS = List.of("removes-all-resources", "serial went back, by 3");

    private QuarantineRecord quarantineOf(StateKey key, String blobKey, Instant createdAt, String lockId) {
        return store.quarantine(key, summarized(blobKey, createdAt, List.of("f1")), lockId, REASONS);
    }

    private static NewVersion withMillis(NewVersion v) {
        return new NewVersion(
                v.blobKey(),
                v.serial(),
                v.lineage(),
                v.sha256(),
                v.size(),
                v.principal(),
                ms(v.createdAt()),
                v.resourceCount(),
                v.terraformVersion(),
                v.flags());
    }

    // ---- expireLock and fencing -----------------------------------------------------------

    @Test
    void expireLockReleasesAnIdleLockAndFencesItsId() {
        StateKey key = state("s");
        commitMany(key, 1);
        LockRecord held = lock(key, "L1", at(10));
        assertThat(store.expireLock(key, "L1", at(11))).isTrue();
        assertThat(store.findLock(key)).isEmpty();
        assertThat(store.findState(key).orElseThrow().lock()).isNull();

        CommitResult late = store.commitVersion(
                VersionCommit.of(key, newVersion("late", at(20)), "L1").withRetention(RetentionPolicy.KEEP_ALL));
        assertThat(late).isEqualTo(new CommitResult.Fenced(held.info()));
        assertThat(store.headVersion(key).orElseThrow().blobKey()).isEqualTo("b1");
        assertThat(store.listVersions(key, PageRequest.first(10)).items()).hasSize(1);
        // Still fenced on a second try; the three-argument commit fences too.
        assertThat(store.commitVersion(VersionCommit.of(key, newVersion("late", at(21)), "L1")))
                .isEqualTo(new CommitResult.Fenced(held.info()));
    }

    @Test
    void afterExpiryWritesWithoutTheFencedIdAreAccepted() {
        StateKey key = state("s");
        lock(key, "L1", at(10));
        assertThat(store.expireLock(key, "L1", at(1_000))).isTrue();
        assertThat(commit(key, "anon", at(20), null).number()).isEqualTo(1);
        assertThat(commit(key, "other", at(21), "L2").number()).isEqualTo(2);
    }

    @Test
    void aFencedIdIsStillLockedByWhileAnotherIdHoldsTheLock() {
        StateKey key = state("s");
        lock(key, "L1", at(10));
        store.expireLock(key, "L1", at(11));
        LockRecord second = lock(key, "L2", at(12));
        assertThat(store.commitVersion(VersionCommit.of(key, newVersion("late", at(13)), "L1")))
                .isEqualTo(new CommitResult.LockedBy(second));
        assertThat(store.headVersion(key)).isEmpty();
    }

    @Test
    void aFreshLockByAnyIdWorksAfterExpiry() {
        StateKey key = state("s");
        lock(key, "L1", at(10));
        store.expireLock(key, "L1", at(11));
        lock(key, "L3", at(12));
        assertThat(commit(key, "k3", at(13), "L3").lockId()).isEqualTo("L3");
        store.unlock(key, "L3");
        // Even the fenced ID may lock again; while it holds the lock its writes are accepted.
        lock(key, "L1", at(14));
        VersionRecord v = commit(key, "k1", at(15), "L1");
        assertThat(v.lockId()).isEqualTo("L1");
        assertThat(v.operation()).isEqualTo("OperationTypeApply");
    }

    @Test
    void expireLockIsFalseWhenTheLockIsNotIdleLongEnough() {
        StateKey key = state("s");
        LockRecord held = lock(key, "L1", at(10));
        assertThat(store.expireLock(key, "L1", at(10))).isFalse(); // last activity not strictly before
        assertThat(store.expireLock(key, "L1", at(5))).isFalse();
        commit(key, "k", at(50), "L1"); // a write is activity
        assertThat(store.expireLock(key, "L1", at(40))).isFalse();
        assertThat(store.findLock(key).orElseThrow().info()).isEqualTo(held.info());
        assertThat(commit(key, "k2", at(60), "L1").number()).isEqualTo(2);
        assertThat(store.expireLock(key, "L1", at(61))).isTrue();
    }

    @Test
    void expireLockIsFalseForAnotherIdOrWhenNothingIsHeld() {
        StateKey key = state("s");
        assertThat(store.expireLock(key, "L1", at(100))).isFalse(); // no state
        assertThat(store.expireLock(new StateKey("nope", "s"), "L1", at(100))).isFalse();
        commitMany(key, 1);
        assertThat(store.expireLock(key, "L1", at(100))).isFalse(); // unlocked
        LockRecord held = lock(key, "L1", at(10));
        assertThat(store.expireLock(key, "L2", at(100))).isFalse();
        assertThat(store.findLock(key)).contains(held);
        // Nothing was fenced: L2 may write once L1 unlocks.
        store.unlock(key, "L1");
        assertThat(commit(key, "k", at(101), "L2").number()).isEqualTo(2);
    }

    // ---- quarantine -----------------------------------------------------------------------

    @Test
    void quarantineAssignsIdsPerStateAndKeepsAllFields() {
        StateKey key = state("s");
        QuarantineRecord q1 = quarantineOf(key, "q1", at(1), "L1");
        QuarantineRecord q2 = quarantineOf(key, "q2", at(2), null);
        QuarantineRecord other = quarantineOf(state("other"), "o1", at(3), null);
        assertThat(q1.id()).isEqualTo(1);
        assertThat(q2.id()).isEqualTo(2);
        assertThat(other.id()).isEqualTo(1);
        assertThat(quarantineOf(key, "q3", at(4), null).id()).isEqualTo(3);

        QuarantineRecord expected =
                new QuarantineRecord(key, 1, withMillis(summarized("q1", at(1), List.of("f1"))), "L1", REASONS);
        assertThat(q1).isEqualTo(expected);
        assertThat(store.findQuarantine(key, 1)).contains(expected);
        assertThat(store.findQuarantine(key, 9)).isEmpty();
        assertThat(store.findQuarantine(state("missing"), 1)).isEmpty();
    }

    @Test
    void quarantineRoundTripsOddFlagsAndReasonsAndNullFields() {
        StateKey key = state("s");
        NewVersion sparse = new NewVersion("q", null, null, sha256Of("q"), 0L, null, at(1), null, null, ODD_FLAGS);
        QuarantineRecord q = store.quarantine(key, sparse, null, ODD_FLAGS);
        assertThat(store.findQuarantine(key, q.id())).contains(q);
        assertThat(q.version().flags()).containsExactlyElementsOf(ODD_FLAGS);
        assertThat(q.reasons()).containsExactlyElementsOf(ODD_FLAGS);
        assertThat(q.version().createdAt()).isEqualTo(ms(at(1)));
    }

    @Test
    void quarantineCreatesTheStateRowButNoVersion() {
        StateKey key = state("s");
        quarantineOf(key, "q1", at(1), null);
        assertThat(store.findState(key).orElseThrow().head()).isNull();
        assertThat(store.headVersion(key)).isEmpty();
        assertThatThrownBy(() -> quarantineOf(new StateKey("nope", "s"), "q", at(1), null))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThat(store.findState(new StateKey("nope", "s"))).isEmpty();
    }

    @Test
    void listQuarantineIsNewestFirstAndDeleteReturnsTheBlobKeyOnce() {
        StateKey key = state("s");
        for (int i = 1; i <= 4; i++) {
            quarantineOf(key, "q" + i, at(i), null);
        }
        assertThat(store.listQuarantine(key)).extracting(QuarantineRecord::id).containsExactly(4L, 3L, 2L, 1L);
        assertThat(store.deleteQuarantine(key, 2)).contains("q2");
        assertThat(store.deleteQuarantine(key, 2)).isEmpty();
        assertThat(store.deleteQuarantine(key, 4)).contains("q4");
        assertThat(store.listQuarantine(key)).extracting(QuarantineRecord::id).containsExactly(3L, 1L);
        assertThat(quarantineOf(key, "q5", at(5), null).id()).isEqualTo(5); // IDs are not reused
        assertThat(store.listQuarantine(state("missing"))).isEmpty();
        assertThat(store.deleteQuarantine(state("missing"), 1)).isEmpty();
    }

    @Test
    void promoteMakesTheQuarantinedWriteCurrentWithFlagsCleared() {
        StateKey key = state("s");
        commitMany(key, 1);
        QuarantineRecord q = quarantineOf(key, "q1", at(5), "L-old");
        Optional<CommitResult> result =
                store.promoteQuarantine(key, q.id(), null, "admin", at(100), RetentionPolicy.KEEP_ALL);

        VersionRecord v = committed(result.orElseThrow()).version();
        VersionRecord expected = new VersionRecord(
                key,
                2,
                9L,
                "lin",
                sha256Of("q1"),
                77L,
                ms(at(100)),
                "admin",
                null,
                null,
                "q1",
                2_000_000_000,
                "1.9.8",
                List.of());
        assertThat(v).isEqualTo(expected);
        assertThat(store.headVersion(key)).contains(expected);
        assertThat(store.findQuarantine(key, q.id())).isEmpty();
        assertThat(store.listQuarantine(key)).isEmpty();
        assertThat(store.promoteQuarantine(key, q.id(), null, "admin", at(101), RetentionPolicy.KEEP_ALL))
                .isEmpty();
    }

    @Test
    void promoteOfMissingIdOrStateIsEmpty() {
        StateKey key = state("s");
        commitMany(key, 1);
        assertThat(store.promoteQuarantine(key, 1, null, "admin", at(1), RetentionPolicy.KEEP_ALL))
                .isEmpty();
        assertThat(store.promoteQuarantine(state("missing"), 1, null, "admin", at(1), RetentionPolicy.KEEP_ALL))
                .isEmpty();
        assertThat(store.headVersion(key).orElseThrow().number()).isEqualTo(1);
    }

    @Test
    void promoteUnderAnotherLockIsRefusedAndKeepsTheQuarantinedWrite() {
        StateKey key = state("s");
        commitMany(key, 1);
        QuarantineRecord q = quarantineOf(key, "q1", at(5), null);
        LockRecord held = lock(key, "L1", at(6));
        assertThat(store.promoteQuarantine(key, q.id(), null, "admin", at(7), RetentionPolicy.KEEP_ALL))
                .contains(new CommitResult.LockedBy(held));
        assertThat(store.promoteQuarantine(key, q.id(), "L2", "admin", at(7), RetentionPolicy.KEEP_ALL))
                .contains(new CommitResult.LockedBy(held));
        assertThat(store.findQuarantine(key, q.id())).contains(q);
        assertThat(store.headVersion(key).orElseThrow().number()).isEqualTo(1);

        VersionRecord v = committed(store.promoteQuarantine(key, q.id(), "L1", "admin", at(8), RetentionPolicy.KEEP_ALL)
                        .orElseThrow())
                .version();
        assertThat(v.lockId()).isEqualTo("L1");
        assertThat(v.operation()).isEqualTo("OperationTypeApply");
        assertThat(store.findLock(key).orElseThrow().lastActivityAt()).isEqualTo(ms(at(8)));
    }

    @Test
    void promoteWithAFencedIdIsFencedAndKeepsTheQuarantinedWrite() {
        StateKey key = state("s");
        LockRecord held = lock(key, "L1", at(1));
        QuarantineRecord q = quarantineOf(key, "q1", at(2), "L1");
        assertThat(store.expireLock(key, "L1", at(3))).isTrue();
        assertThat(store.promoteQuarantine(key, q.id(), "L1", "admin", at(4), RetentionPolicy.KEEP_ALL))
                .contains(new CommitResult.Fenced(held.info()));
        assertThat(store.findQuarantine(key, q.id())).isPresent();
        assertThat(store.headVersion(key)).isEmpty();
    }

    @Test
    void promoteAppliesRetention() {
        StateKey key = state("s");
        commitMany(key, 3);
        QuarantineRecord q = quarantineOf(key, "q1", at(5), null);
        CommitResult.Committed c =
                committed(store.promoteQuarantine(key, q.id(), null, "admin", at(6), new RetentionPolicy(2, null))
                        .orElseThrow());
        assertThat(c.version().number()).isEqualTo(4);
        assertThat(c.prunedBlobKeys()).containsExactly("b1", "b2");
    }

    @Test
    void deleteStateAlsoDeletesQuarantinedWritesAndReturnsTheirBlobKeys() {
        StateKey key = state("s");
        commitMany(key, 2);
        quarantineOf(key, "q1", at(3), null);
        quarantineOf(key, "q2", at(4), null);
        quarantineOf(state("other"), "o1", at(5), null);

        DeleteResult result = store.deleteState(key, null);
        assertThat(((DeleteResult.Deleted) result).blobKeys()).containsExactlyInAnyOrder("b1", "b2", "q1", "q2");
        assertThat(store.listQuarantine(key)).isEmpty();
        assertThat(store.findQuarantine(key, 1)).isEmpty();
        assertThat(store.listQuarantine(state("other"))).hasSize(1);
        // A state created again starts its quarantine IDs afresh.
        assertThat(quarantineOf(key, "q3", at(6), null).id()).isEqualTo(1);
    }

    @Test
    void deleteStateWithOnlyQuarantinedWritesReturnsTheirKeys() {
        StateKey key = state("s");
        quarantineOf(key, "q1", at(1), null);
        assertThat(store.deleteState(key, null)).isEqualTo(new DeleteResult.Deleted(List.of("q1")));
        assertThat(store.findState(key)).isEmpty();
    }
}
