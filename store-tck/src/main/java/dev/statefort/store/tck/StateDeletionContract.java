package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.StateKey;
import org.junit.jupiter.api.Test;

/** Deleting a state with everything it holds. A group of {@link MetadataStoreContract}. */
public abstract class StateDeletionContract extends MetadataStoreContractGroup {
    @Test
    void deleteStateReturnsAllBlobKeysAndRemovesEverything() {
        StateKey key = state("s");
        StateKey other = state("other");
        commitMany(key, 3);
        commit(other, "keep", T0, null);
        lock(key, "L1", T0);

        DeleteResult result = store.deleteState(key, "L1");

        assertThat(result).isInstanceOf(DeleteResult.Deleted.class);
        assertThat(((DeleteResult.Deleted) result).blobKeys()).containsExactlyInAnyOrder("b1", "b2", "b3");
        assertThat(store.findState(key)).isEmpty();
        assertThat(store.findLock(key)).isEmpty();
        assertThat(store.headVersion(key)).isEmpty();
        assertThat(store.findVersion(key, 1)).isEmpty();
        assertThat(store.listVersions(key, PageRequest.first(10)).items()).isEmpty();
        assertThat(store.listStates(PROJECT)).extracting(s -> s.key().name()).containsExactly("other");
        assertThat(store.headVersion(other).orElseThrow().blobKey()).isEqualTo("keep");
    }

    @Test
    void deleteStateIsRefusedWhenLockedByAnotherId() {
        StateKey key = state("s");
        commitMany(key, 2);
        LockRecord held = lock(key, "L1", T0);
        assertThat(store.deleteState(key, "L2")).isEqualTo(new DeleteResult.LockedBy(held));
        assertThat(store.findLock(key)).contains(held);
        assertThat(store.headVersion(key).orElseThrow().number()).isEqualTo(2);
        assertThat(store.listVersions(key, PageRequest.first(10)).items()).hasSize(2);
    }

    @Test
    void deleteStateWithNullIdIsRefusedWhenAnyLockIsHeld() {
        StateKey key = state("s");
        commitMany(key, 1);
        LockRecord held = lock(key, "L1", T0);
        assertThat(store.deleteState(key, null)).isEqualTo(new DeleteResult.LockedBy(held));
        assertThat(store.findState(key)).isPresent();
    }

    @Test
    void deleteUnlockedStateWithOrWithoutIdDeletes() {
        StateKey a = state("a");
        StateKey b = state("b");
        commitMany(a, 1);
        commitMany(b, 1);
        assertThat(store.deleteState(a, null)).isEqualTo(new DeleteResult.Deleted(java.util.List.of("b1")));
        assertThat(store.deleteState(b, "L-whatever")).isEqualTo(new DeleteResult.Deleted(java.util.List.of("b1")));
        assertThat(store.listStates(PROJECT)).isEmpty();
    }

    @Test
    void deleteStateWithoutVersionsReturnsNoKeys() {
        StateKey key = state("s");
        lock(key, "L1", T0);
        assertThat(store.deleteState(key, "L1")).isEqualTo(new DeleteResult.Deleted(java.util.List.of()));
        assertThat(store.findState(key)).isEmpty();
    }

    @Test
    void deleteOfMissingStateReturnsNotFound() {
        assertThat(store.deleteState(state("missing"), null)).isEqualTo(new DeleteResult.NotFound());
        assertThat(store.deleteState(new StateKey("nope", "s"), "L1")).isEqualTo(new DeleteResult.NotFound());
        StateKey key = state("s");
        commitMany(key, 1);
        store.deleteState(key, null);
        assertThat(store.deleteState(key, null)).isEqualTo(new DeleteResult.NotFound());
    }

    @Test
    void aDeletedStateCanBeCreatedAgainAsANewState() {
        StateKey key = state("s");
        commitMany(key, 3);
        store.deleteState(key, null);
        assertThat(commit(key, "again", at(99), null).number()).isEqualTo(1);
        assertThat(store.findState(key).orElseThrow().createdAt()).isEqualTo(ms(at(99)));
    }
}
