package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Taking and releasing a state's lock. A group of {@link MetadataStoreContract}. */
public abstract class LockContract extends MetadataStoreContractGroup {
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
