package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.Freeze;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.model.VersionCommit;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Change freezes: no new exclusive lock, no write outside a lock held. A group of {@link MetadataStoreContract}. */
public abstract class FreezeContract extends MetadataStoreContractGroup {
    Freeze freeze(StateKey key, String reason, java.time.Instant until) {
        Freeze freeze = new Freeze(key.project(), key.name(), reason, "user:admin", at(0), until);
        store.freeze(freeze);
        return freeze;
    }

    @Test
    void aFrozenStateRefusesNewExclusiveLocksAndWritesShowingTheReason() {
        StateKey key = state("s");
        freeze(key, "release 42 in progress", null);
        LockResult refused = store.tryLock(key, lockRequest("A", at(1)));
        LockRecord shown = ((LockResult.HeldBy) refused).holder();
        assertThat(shown.kind()).isEqualTo(LockRecord.Kind.FREEZE);
        assertThat(shown.id()).startsWith(Freeze.ID_PREFIX).contains("release 42 in progress");
        assertThat(shown.info().operation()).isEqualTo("freeze");
        assertThat(shown.info().textField("Info")).isEqualTo("release 42 in progress");
        assertThat(shown.info().who()).isEqualTo("user:admin");
        // what a client parses: a LockInfo JSON with its ID
        assertThat(LockInfo.parse(shown.info().json()).id()).isEqualTo(shown.id());

        var write = store.commitVersion(VersionCommit.of(key, newVersion("b1", at(2)), null));
        assertThat(((CommitResult.LockedBy) write).holder().kind()).isEqualTo(LockRecord.Kind.FREEZE);
        assertThat(store.findLock(key)).isEmpty();
        // plan locks go on
        assertThat(store.tryLock(key, PlanLockContract.planRequest("P", at(3))))
                .isInstanceOf(LockResult.Acquired.class);
    }

    @Test
    void aLockHeldWhenTheFreezeBeginsKeepsItsWritesAndItsUnlock() {
        StateKey key = state("s");
        lock(key, "A", at(0));
        freeze(key, "change freeze", null);
        assertThat(store.tryLock(key, lockRequest("A", at(1)))).isInstanceOf(LockResult.Acquired.class);
        assertThat(store.commitVersion(VersionCommit.of(key, newVersion("b1", at(2)), "A")))
                .isInstanceOf(CommitResult.Committed.class);
        assertThat(store.unlock(key, "A")).isInstanceOf(UnlockResult.Released.class);
        assertThat(store.tryLock(key, lockRequest("A", at(3)))).isInstanceOf(LockResult.HeldBy.class);
    }

    @Test
    void aProjectFreezeCoversEveryStateAndEndsAtItsUntil() {
        StateKey key = state("s");
        store.freeze(new Freeze(PROJECT, null, "quarter close", "user:admin", at(0), at(10_000)));
        assertThat(store.findFreeze(state("not-yet-created"), at(1))
                        .orElseThrow()
                        .reason())
                .isEqualTo("quarter close");
        assertThat(store.tryLock(key, lockRequest("A", at(9_999)))).isInstanceOf(LockResult.HeldBy.class);
        assertThat(store.tryLock(key, lockRequest("A", at(10_001)))).isInstanceOf(LockResult.Acquired.class);
        assertThat(store.findFreeze(key, at(10_001))).isEmpty();
    }

    @Test
    void freezesAreListedReplacedAndLifted() {
        StateKey key = state("s");
        freeze(key, "first", null);
        freeze(key, "second", at(60_000));
        store.freeze(new Freeze(PROJECT, null, "all", "user:admin", at(0), null));
        List<Freeze> listed = store.listFreezes(PROJECT);
        assertThat(listed).extracting(Freeze::reason).containsExactly("all", "second");
        assertThat(listed.get(1).until()).isEqualTo(ms(at(60_000)));
        assertThat(store.findFreeze(key, at(1)).orElseThrow().reason()).isEqualTo("second");
        assertThat(store.unfreeze(PROJECT, "s")).isTrue();
        assertThat(store.unfreeze(PROJECT, "s")).isFalse();
        assertThat(store.findFreeze(key, at(1)).orElseThrow().reason()).isEqualTo("all");
        assertThat(store.unfreeze(PROJECT, null)).isTrue();
        assertThat(store.findFreeze(key, at(1))).isEmpty();
        assertThat(store.tryLock(key, lockRequest("A", at(2)))).isInstanceOf(LockResult.Acquired.class);
    }

    @Test
    void aFreezeInAProjectThatDoesNotExistIsRefused() {
        Assertions.assertThatThrownBy(() -> store.freeze(new Freeze("nope", null, "r", "a", at(0), null)))
                .isInstanceOf(ProjectNotFoundException.class);
    }

    @Test
    void aFreezeRacingExclusiveLocksLeavesAtMostTheLocksGrantedBeforeIt() throws Exception {
        for (int round = 0; round < 3; round++) {
            StateKey key = state("race-" + round);
            List<Object> results = runConcurrently(9, i -> {
                if (i == 0) {
                    store.freeze(new Freeze(PROJECT, key.name(), "race", "user:admin", at(0), null));
                    return "frozen";
                }
                return store.tryLock(key, lockRequest("A" + i, at(i)));
            });
            long granted = results.stream()
                    .filter(r -> r instanceof LockResult.Acquired)
                    .count();
            assertThat(granted).isLessThanOrEqualTo(1);
            // after the freeze has returned, whatever is held, nobody new gets the lock
            store.unlock(key, null);
            assertThat(store.tryLock(key, lockRequest("late", at(100)))).isInstanceOf(LockResult.HeldBy.class);
        }
    }
}
