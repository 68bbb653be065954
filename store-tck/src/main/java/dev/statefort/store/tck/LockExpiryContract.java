package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.RetentionPolicy;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionRecord;
import org.junit.jupiter.api.Test;

/** Expiring an idle lock and fencing its ID. A group of {@link MetadataStoreContract}. */
public abstract class LockExpiryContract extends MetadataStoreContractGroup {
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
}
