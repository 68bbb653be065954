package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.StateRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Projects and how a state row comes to exist. A group of {@link MetadataStoreContract}. */
public abstract class ProjectContract extends MetadataStoreContractGroup {
    @Test
    void createProjectReturnsFalseOnDuplicateAndKeepsTheFirst() {
        assertThat(store.createProject("p", T0)).isTrue();
        assertThat(store.createProject("p", at(5_000))).isFalse();
        assertThat(store.findProject("p")).contains(new ProjectRecord("p", ms(T0)));
        assertThat(store.listProjects()).containsExactly(new ProjectRecord("p", ms(T0)));
    }

    @Test
    void aProjectKeepsTheStorageProfileItWasCreatedWithAndADuplicateDoesNotChangeIt() {
        assertThat(store.createProject("on-s3", "s3main", T0)).isTrue();
        assertThat(store.createProject("on-s3", "other", at(5_000))).isFalse();
        assertThat(store.createProject("plain", T0)).isTrue();
        assertThat(store.findProject("on-s3")).contains(new ProjectRecord("on-s3", ms(T0), "s3main"));
        assertThat(store.listProjects())
                .extracting(ProjectRecord::storage)
                .containsExactly("s3main", ProjectRecord.LOCAL_STORAGE);
    }

    @Test
    void aStorageMoveBeginsOnlyFromTheCurrentProfileAndFinishesOnlyToItsTarget() {
        store.createProject("p", "local", T0);
        assertThat(store.findProject("p").orElseThrow().placement()).isEqualTo("local");
        assertThat(store.beginStorageMove("p", "s3main", "other")).isFalse();
        assertThat(store.beginStorageMove("nope", "local", "s3main")).isFalse();
        assertThat(store.finishStorageMove("p", "s3main")).isFalse();

        assertThat(store.beginStorageMove("p", "local", "s3main")).isTrue();
        assertThat(store.beginStorageMove("p", "local", "other")).isFalse();
        assertThat(store.findProject("p")).contains(new ProjectRecord("p", ms(T0), "local", "s3main"));
        assertThat(store.findProject("p").orElseThrow().placement()).isEqualTo("s3main");
        assertThat(store.listProjects()).containsExactly(new ProjectRecord("p", ms(T0), "local", "s3main"));

        assertThat(store.finishStorageMove("p", "other")).isFalse();
        assertThat(store.finishStorageMove("p", "s3main")).isTrue();
        assertThat(store.finishStorageMove("p", "s3main")).isFalse();
        assertThat(store.findProject("p")).contains(new ProjectRecord("p", ms(T0), "s3main"));
        assertThat(store.beginStorageMove("p", "s3main", "local")).isTrue();
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
}
