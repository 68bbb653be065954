package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.lock.LockInfo;
import dev.statefort.core.lock.LockRecord;
import dev.statefort.core.lock.LockRequest;
import dev.statefort.core.lock.LockResult;
import dev.statefort.core.lock.UnlockResult;
import dev.statefort.core.project.ProjectNotFoundException;
import dev.statefort.core.project.ProjectRecord;
import dev.statefort.core.state.StateKey;
import dev.statefort.core.state.StateRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Projects, state creation and locks. Part of {@link MetadataStoreContract}. */
public abstract class MetadataStoreLockContract extends MetadataStoreFixture {

    // ---- projects -------------------------------------------------------------------------

    @Test
    void createProjectReturnsFalseOnDuplicateAndKeepsTheFirst() {
        assertThat(store.createProject("p", T0)).isTrue();
        assertThat(store.createProject("p", at(5_000))).isFalse();
        assertThat(store.findProject("p")).contains(new ProjectRecord("p", ms(T0)));
        assertThat(store.listProjects()).containsExactly(new ProjectRecord("p", ms(T0)));
    }

    @Test
    void findProjectIsEmptyForUnknownProject() {
        assertThat(store.findProject("nope")).isEmpty();
        assertThat(store.listProjects()).isEmpty();
    }

    @Test
    void listProjectsIsOrderedByNameAsStringCompareTo() {
        for (String name : List.of("zeta", "alpha_3", "alpha", "Beta", "alpha.1", "alpha-2", "9")) {
            assertThat(store.createProject(name, T0)).isTrue();
        }
        assertThat(store.listProjects())
                .extracting(ProjectRecord::name)
                .containsExactly("9", "Beta", "alpha", "alpha-2", "alpha.1", "alpha_3", "zeta");
    }

    // ---- state creation -------------------------------------------------------------------

    @Test
    void tryLockOnMissingProjectThrowsProjectNotFoundAndCreatesNothing() {
        StateKey key = new StateKey("nope", "s");
        assertThatThrownBy(() -> store.tryLock(key, lockRequest("L1", T0)))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThat(store.findState(key)).isEmpty();
        assertThat(store.listStates("nope")).isEmpty();
        assertThat(store.findProject("nope")).isEmpty();
    }

    @Test
    void findStateIsEmptyForUnknownStateAndListStatesEmptyForUnknownProject() {
        assertThat(store.findState(state("s"))).isEmpty();
        assertThat(store.listStates(PROJECT)).isEmpty();
        assertThat(store.listStates("nope")).isEmpty();
    }

    @Test
    void firstTryLockCreatesTheStateWithoutVersion() {
        StateKey key = state("s");
        LockRecord lock = lock(key, "L1", at(10));
        assertThat(store.findState(key)).contains(new StateRecord(key, ms(at(10)), null, lock));
        assertThat(store.headVersion(key)).isEmpty();
    }

    @Test
    void listStatesIsOrderedByNameWithHeadAndLock() {
        StateKey c = state("c");
        StateKey a = state("a");
        StateKey upperB = state("B");
        StateKey a1 = state("a.1");
        commit(upperB, "k-b1", at(1), null);
        commit(a, "k-a1", at(2), null);
        var headA = commit(a, "k-a2", at(3), null);
        LockRecord lockC = lock(c, "L-c", at(4));
        lock(a1, "L-a1", at(5));
        store.unlock(a1, "L-a1");
        store.createProject("other", T0);
        lock(new StateKey("other", "x"), "L-x", at(6));

        List<StateRecord> states = store.listStates(PROJECT);
        assertThat(states).extracting(s -> s.key().name()).containsExactly("B", "a", "a.1", "c");
        assertThat(states.get(0).head().blobKey()).isEqualTo("k-b1");
        assertThat(states.get(1)).isEqualTo(new StateRecord(a, ms(at(2)), headA, null));
        assertThat(states.get(2)).isEqualTo(new StateRecord(a1, ms(at(5)), null, null));
        assertThat(states.get(3)).isEqualTo(new StateRecord(c, ms(at(4)), null, lockC));
        assertThat(store.findState(a)).contains(states.get(1));
    }

    // ---- tryLock --------------------------------------------------------------------------

    @Test
    void tryLockOnUnlockedStateStoresInfoPrincipalAndTimes() {
        StateKey key = state("s");
        LockRequest request = lockRequest("L1", at(20));
        LockResult result = store.tryLock(key, request);
        LockRecord expected = new LockRecord(request.info(), "principal-L1", ms(at(20)), ms(at(20)));
        assertThat(result).isEqualTo(new LockResult.Acquired(expected));
        assertThat(store.findLock(key)).contains(expected);
        assertThat(store.findLock(key).orElseThrow().info().operation()).isEqualTo("OperationTypeApply");
    }

    @Test
    void lockInfoBytesAreStoredExactly() {
        StateKey key = state("s");
        String json = "{ \"ID\" : \"äöü-Ω-😀\",\n\t\"Operation\":\"OperationTypePlan\",  \"Info\":\"x\\u00e9\\\"y\","
                + " \"Who\":\"ünïcødé@høst\", \"Extra\": [1, 2.50, null, {\"a\":\"\\n\"}] }\r\n  ";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        LockInfo info = LockInfo.parse(bytes);
        store.tryLock(key, new LockRequest(info, "who", T0));

        LockRecord stored = store.findLock(key).orElseThrow();
        assertThat(stored.info().json()).isEqualTo(bytes);
        assertThat(stored.id()).isEqualTo("äöü-Ω-😀");
        assertThat(stored.info().operation()).isEqualTo("OperationTypePlan");

        LockResult other = store.tryLock(key, lockRequest("L2", at(1)));
        assertThat(((LockResult.HeldBy) other).holder().info().json()).isEqualTo(bytes);
    }

    @Test
    void lockWithoutOperationKeepsNullOperation() {
        StateKey key = state("s");
        LockInfo info = LockInfo.parse("{\"ID\":\"L1\"}".getBytes(StandardCharsets.UTF_8));
        store.tryLock(key, new LockRequest(info, "who", T0));
        assertThat(store.findLock(key).orElseThrow().info().operation()).isNull();
    }

    @Test
    void tryLockWithSameIdIsIdempotentAndMovesOnlyLastActivity() {
        StateKey key = state("s");
        LockRecord first = lock(key, "L1", at(0));
        LockInfo sameIdOtherBytes = lockInfo("L1", "OperationTypePlan");
        LockResult again = store.tryLock(key, new LockRequest(sameIdOtherBytes, "someone-else", at(7_000)));

        LockRecord expected = new LockRecord(first.info(), first.principal(), ms(at(0)), ms(at(7_000)));
        assertThat(again).isEqualTo(new LockResult.Acquired(expected));
        assertThat(store.findLock(key)).contains(expected);
    }

    @Test
    void tryLockWithOtherIdReturnsHolderAndChangesNothing() {
        StateKey key = state("s");
        LockRecord holder = lock(key, "L1", at(0));
        LockResult result = store.tryLock(key, lockRequest("L2", at(9_000)));
        assertThat(result).isEqualTo(new LockResult.HeldBy(holder));
        assertThat(store.findLock(key)).contains(holder);
    }

    @Test
    void lockIsExclusiveUnderConcurrency() throws Exception {
        int threads = 16;
        for (int round = 0; round < 3; round++) {
            StateKey key = state("race-" + round);
            List<LockResult> results = runConcurrently(threads, i -> store.tryLock(key, lockRequest("L" + i, at(i))));

            List<LockRecord> winners = results.stream()
                    .filter(r -> r instanceof LockResult.Acquired)
                    .map(r -> ((LockResult.Acquired) r).lock())
                    .toList();
            assertThat(winners).hasSize(1);
            LockRecord winner = winners.getFirst();
            assertThat(results)
                    .filteredOn(r -> r instanceof LockResult.HeldBy)
                    .hasSize(threads - 1)
                    .allSatisfy(r -> {
                        LockRecord holder = ((LockResult.HeldBy) r).holder();
                        assertThat(holder.id()).isEqualTo(winner.id());
                        assertThat(holder.info().json()).isEqualTo(winner.info().json());
                        assertThat(holder.acquiredAt()).isEqualTo(winner.acquiredAt());
                    });
            assertThat(store.findLock(key)).contains(winner);
        }
    }

    // ---- unlock ---------------------------------------------------------------------------

    @Test
    void unlockWithHoldersIdReleasesAndKeepsTheState() {
        StateKey key = state("s");
        LockRecord held = lock(key, "L1", T0);
        assertThat(store.unlock(key, "L1")).isEqualTo(new UnlockResult.Released(held));
        assertThat(store.findLock(key)).isEmpty();
        assertThat(store.findState(key).orElseThrow().lock()).isNull();
        assertThat(store.unlock(key, "L1")).isEqualTo(new UnlockResult.NotLocked());
    }

    @Test
    void unlockWithNullIdForceReleases() {
        StateKey key = state("s");
        LockRecord held = lock(key, "L1", T0);
        assertThat(store.unlock(key, null)).isEqualTo(new UnlockResult.Released(held));
        assertThat(store.findLock(key)).isEmpty();
        assertThat(store.unlock(key, null)).isEqualTo(new UnlockResult.NotLocked());
    }

    @Test
    void unlockWithOtherIdReturnsHolderAndKeepsTheLock() {
        StateKey key = state("s");
        LockRecord held = lock(key, "L1", T0);
        assertThat(store.unlock(key, "L2")).isEqualTo(new UnlockResult.HeldBy(held));
        assertThat(store.findLock(key)).contains(held);
    }

    @Test
    void unlockWhenNothingIsHeldOrNoSuchStateReturnsNotLocked() {
        StateKey key = state("s");
        commit(key, "k1", T0, null);
        assertThat(store.unlock(key, "L1")).isEqualTo(new UnlockResult.NotLocked());
        assertThat(store.unlock(key, null)).isEqualTo(new UnlockResult.NotLocked());
        assertThat(store.unlock(state("missing"), "L1")).isEqualTo(new UnlockResult.NotLocked());
        assertThat(store.unlock(new StateKey("nope", "s"), null)).isEqualTo(new UnlockResult.NotLocked());
    }

    @Test
    void findLockIsEmptyWhenUnlockedOrMissing() {
        StateKey key = state("s");
        commit(key, "k1", T0, null);
        assertThat(store.findLock(key)).isEmpty();
        assertThat(store.findLock(state("missing"))).isEmpty();
        assertThat(store.findLock(new StateKey("nope", "s"))).isEmpty();
    }

    @Test
    void anotherIdCanLockAfterRelease() {
        StateKey key = state("s");
        lock(key, "L1", at(0));
        store.unlock(key, "L1");
        LockRecord second = lock(key, "L2", at(50));
        assertThat(second.id()).isEqualTo("L2");
        assertThat(second.acquiredAt()).isEqualTo(ms(at(50)));
        assertThat(store.findLock(key)).contains(second);
    }

    @Test
    void locksOfDifferentStatesAreIndependent() {
        StateKey a = state("a");
        StateKey b = state("b");
        lock(a, "L1", T0);
        assertThat(store.tryLock(b, lockRequest("L2", T0))).isInstanceOf(LockResult.Acquired.class);
        assertThat(store.unlock(a, null)).isInstanceOf(UnlockResult.Released.class);
        assertThat(store.findLock(b).orElseThrow().id()).isEqualTo("L2");
    }
}
