package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.spi.LockStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shared plan locks beside the exclusive lock. A group of {@link MetadataStoreContract}. */
public abstract class PlanLockContract extends MetadataStoreContractGroup {
    static LockRequest planRequest(String id, Instant now) {
        return new LockRequest(lockInfo(id, "OperationTypePlan"), "planner-" + id, now).asPlan();
    }

    LockRecord planLock(StateKey key, String id, Instant now) {
        LockResult result = store.tryLock(key, planRequest(id, now));
        assertThat(result).isInstanceOf(LockResult.Acquired.class);
        return ((LockResult.Acquired) result).lock();
    }

    @Test
    void manyPlanLocksAreHeldAtOnceEachUnderItsOwnId() {
        StateKey key = state("s");
        LockRecord p1 = planLock(key, "P1", at(1));
        LockRecord p2 = planLock(key, "P2", at(2));
        LockRecord p3 = planLock(key, "P3", at(3));
        assertThat(p1.kind()).isEqualTo(LockRecord.Kind.PLAN);
        assertThat(p1.principal()).isEqualTo("planner-P1");
        assertThat(store.findLocks(key)).containsExactly(p1, p2, p3);
        assertThat(store.findLock(key)).isEmpty();
        assertThat(store.findState(key).orElseThrow().planLocks()).isEqualTo(3);
        assertThat(store.findState(key).orElseThrow().locked()).isTrue();
    }

    @Test
    void aPlanLockAgainUnderItsIdOnlyMovesItsLastActivity() {
        StateKey key = state("s");
        LockRecord first = planLock(key, "P1", at(1));
        LockRecord again = planLock(key, "P1", at(5_000));
        assertThat(again.acquiredAt()).isEqualTo(first.acquiredAt());
        assertThat(again.lastActivityAt()).isEqualTo(ms(at(5_000)));
        assertThat(store.findLocks(key)).containsExactly(again);
    }

    @Test
    void anExclusiveLockKeepsPlanLocksOutAndTheReverse() {
        StateKey key = state("s");
        LockRecord apply = lock(key, "A", at(0));
        assertThat(store.tryLock(key, planRequest("P1", at(1)))).isEqualTo(new LockResult.HeldBy(apply));

        StateKey other = state("t");
        LockRecord plan = planLock(other, "P1", at(0));
        assertThat(store.tryLock(other, lockRequest("A", at(1)))).isEqualTo(new LockResult.HeldBy(plan));
        assertThat(store.findLocks(other)).containsExactly(plan);
    }

    @Test
    void anExclusiveLockRefusedByPlanLocksMakesNewPlanLocksWaitForSixtySeconds() {
        StateKey key = state("s");
        planLock(key, "P1", at(0));
        LockResult refused = store.tryLock(key, lockRequest("A", at(1_000)));
        assertThat(refused).isInstanceOf(LockResult.HeldBy.class);

        LockResult plan = store.tryLock(key, planRequest("P2", at(2_000)));
        LockRecord shown = ((LockResult.HeldBy) plan).holder();
        assertThat(shown.kind()).isEqualTo(LockRecord.Kind.WAITING);
        assertThat(shown.id()).isEqualTo("A");

        // the apply stops asking: 60 s after its last LOCK, plans are granted again
        long waitMillis = LockStore.WAITING_EXCLUSIVE_HOLDS_FOR.toMillis();
        assertThat(store.tryLock(key, planRequest("P3", at(1_000 + waitMillis - 1))))
                .isInstanceOf(LockResult.HeldBy.class);
        assertThat(store.tryLock(key, planRequest("P3", at(1_000 + waitMillis + 1))))
                .isInstanceOf(LockResult.Acquired.class);
    }

    @Test
    void theWaitingExclusiveLockIsGrantedOnceThePlansEndAndTheMarkerIsGone() {
        StateKey key = state("s");
        planLock(key, "P1", at(0));
        planLock(key, "P2", at(1));
        store.tryLock(key, lockRequest("A", at(2)));
        assertThat(store.unlock(key, "P1")).isInstanceOf(UnlockResult.Released.class);
        assertThat(store.tryLock(key, lockRequest("A", at(3)))).isInstanceOf(LockResult.HeldBy.class);
        assertThat(store.unlock(key, "P2")).isInstanceOf(UnlockResult.Released.class);
        assertThat(store.tryLock(key, lockRequest("A", at(4)))).isInstanceOf(LockResult.Acquired.class);
        store.unlock(key, "A");
        assertThat(store.tryLock(key, planRequest("P3", at(5)))).isInstanceOf(LockResult.Acquired.class);
    }

    @Test
    void unlockWithAPlanIdReleasesThatHolderAndForceUnlockReleasesAll() {
        StateKey key = state("s");
        LockRecord p1 = planLock(key, "P1", at(1));
        LockRecord p2 = planLock(key, "P2", at(2));
        LockRecord p3 = planLock(key, "P3", at(3));
        assertThat(store.unlock(key, "P2")).isEqualTo(new UnlockResult.Released(p2));
        assertThat(store.findLocks(key)).containsExactly(p1, p3);
        assertThat(store.unlock(key, "nobody")).isInstanceOf(UnlockResult.HeldBy.class);
        UnlockResult forced = store.unlock(key, null);
        assertThat(((UnlockResult.Released) forced).all()).containsExactlyInAnyOrder(p1, p3);
        assertThat(store.findLocks(key)).isEmpty();
        assertThat(store.findState(key).orElseThrow().planLocks()).isZero();
        assertThat(store.unlock(key, null)).isEqualTo(new UnlockResult.NotLocked());
        assertThat(store.tryLock(key, lockRequest("A", at(4)))).isInstanceOf(LockResult.Acquired.class);
    }

    @Test
    void aPlanLockNeverAllowsAWriteAndKeepsOtherWritesAndDeletesOut() {
        StateKey key = state("s");
        commit(key, "b1", at(0), null);
        LockRecord p1 = planLock(key, "P1", at(1));
        planLock(key, "P2", at(2));
        var underPlan = store.commitVersion(VersionCommit.of(key, newVersion("b2", at(3)), "P2"));
        assertThat(underPlan).isInstanceOf(CommitResult.LockedBy.class);
        assertThat(((CommitResult.LockedBy) underPlan).holder().id()).isEqualTo("P2");
        assertThat(((CommitResult.LockedBy) underPlan).holder().plan()).isTrue();
        assertThat(store.commitVersion(VersionCommit.of(key, newVersion("b3", at(3)), null)))
                .isEqualTo(new CommitResult.LockedBy(p1));
        assertThat(store.deleteState(key, null)).isEqualTo(new DeleteResult.LockedBy(p1));
        assertThat(numbers(key)).containsExactly(1L);
    }

    @Test
    void anIdlePlanLockExpiresAloneAndIsNotFenced() {
        StateKey key = state("s");
        planLock(key, "P1", at(0));
        LockRecord p2 = planLock(key, "P2", at(10_000));
        assertThat(store.expireLock(key, "P1", at(5_000))).isTrue();
        assertThat(store.expireLock(key, "P2", at(5_000))).isFalse();
        assertThat(store.findLocks(key)).containsExactly(p2);
        store.unlock(key, "P2");
        // nothing fenced: a new lock and a write under the expired plan lock's ID are ordinary
        assertThat(store.commitVersion(VersionCommit.of(key, newVersion("b1", at(11_000)), "P1")))
                .isInstanceOf(CommitResult.Committed.class);
    }

    @Test
    void planLocksAndAnExclusiveLockRacingAreNeverBothGranted() throws Exception {
        for (int round = 0; round < 3; round++) {
            StateKey key = state("race-" + round);
            List<LockResult> results = runConcurrently(
                    12,
                    i -> store.tryLock(key, i % 4 == 0 ? lockRequest("A" + i, at(i)) : planRequest("P" + i, at(i))));
            List<LockRecord> granted = results.stream()
                    .filter(r -> r instanceof LockResult.Acquired)
                    .map(r -> ((LockResult.Acquired) r).lock())
                    .toList();
            assertThat(granted).isNotEmpty();
            boolean exclusive = granted.stream().anyMatch(l -> !l.plan());
            if (exclusive) {
                assertThat(granted).hasSize(1);
            }
            assertThat(store.findLocks(key)).containsExactlyInAnyOrderElementsOf(granted);
            assertThat(store.findState(key).orElseThrow().planLocks()).isEqualTo(exclusive ? 0 : granted.size());
        }
    }

    @Test
    void deletingAStateDeletesItsPlanLocks() {
        StateKey key = state("s");
        planLock(key, "P1", at(0));
        store.unlock(key, null);
        planLock(key, "P2", at(1));
        store.unlock(key, "P2");
        assertThat(store.deleteState(key, null)).isInstanceOf(DeleteResult.Deleted.class);
        assertThat(store.findLocks(key)).isEmpty();
        assertThat(store.tryLock(key, planRequest("P2", at(2)))).isInstanceOf(LockResult.Acquired.class);
    }
}
