package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.JointCommit;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Versions of several states committed together (a state surgery moving a resource between two
 * states): all of them, or none. A group of {@link MetadataStoreContract}.
 */
public abstract class JointCommitContract extends MetadataStoreContractGroup {

    private VersionCommit commit(StateKey key, String blob, String lockId) {
        return VersionCommit.of(key, newVersion(blob, at(10)), lockId)
                .withAudit(new dev.statefort.core.model.AuditEvent(
                        null, at(10), "user:alice", "state.write", key.project(), key.name(), "{}"));
    }

    @Test
    void everyVersionIsCommittedUnderItsLockInOneStep() {
        StateKey a = state("a");
        StateKey b = state("b");
        store.commitVersion(VersionCommit.of(a, newVersion("a1", at(1)), null));
        store.commitVersion(VersionCommit.of(b, newVersion("b1", at(1)), null));
        lock(a, "surgery-a", at(5));
        lock(b, "surgery-b", at(5));

        JointCommit joint = store.commitVersions(List.of(commit(a, "a2", "surgery-a"), commit(b, "b2", "surgery-b")));
        assertThat(joint.isWritten()).isTrue();
        assertThat(joint.committed()).extracting(c -> c.version().number()).containsExactly(2L, 2L);
        assertThat(store.headVersion(a).orElseThrow().blobKey()).isEqualTo("a2");
        assertThat(store.headVersion(b).orElseThrow().blobKey()).isEqualTo("b2");
        assertThat(store.headVersion(a).orElseThrow().operation()).isEqualTo("OperationTypeApply");
        assertThat(store.listAudit(new AuditQuery(PROJECT, "b", "state.write", 10, null)))
                .singleElement()
                .satisfies(e -> assertThat(e.version()).isEqualTo(2L));
    }

    @Test
    void whenOneStateIsLockedByAnotherNoneIsWritten() {
        StateKey a = state("a");
        StateKey b = state("b");
        store.commitVersion(VersionCommit.of(a, newVersion("a1", at(1)), null));
        store.commitVersion(VersionCommit.of(b, newVersion("b1", at(1)), null));
        lock(a, "surgery-a", at(5));
        lock(b, "someone-else", at(5));

        JointCommit joint = store.commitVersions(List.of(commit(a, "a2", "surgery-a"), commit(b, "b2", "surgery-b")));
        assertThat(joint.isWritten()).isFalse();
        assertThat(joint.refusedState()).isEqualTo(b);
        assertThat(joint.refusal()).isInstanceOf(CommitResult.LockedBy.class);
        assertThat(((CommitResult.LockedBy) joint.refusal()).holder().id()).isEqualTo("someone-else");
        assertThat(store.headVersion(a).orElseThrow().number())
                .as("a is untouched")
                .isEqualTo(1);
        assertThat(store.headVersion(b).orElseThrow().number()).isEqualTo(1);
        assertThat(store.listAudit(new AuditQuery(PROJECT, "a", "state.write", 10, null)))
                .isEmpty();

        store.commitVersion(VersionCommit.of(a, newVersion("a3", at(20)), "surgery-a"));
        assertThat(store.headVersion(a).orElseThrow().number())
                .as("numbers continue as if the refused joint commit never was")
                .isEqualTo(2);
    }

    @Test
    void aJointCommitNeedsOneCommitPerState() {
        StateKey a = state("a");
        assertThatThrownBy(() -> store.commitVersions(List.of(commit(a, "x", null), commit(a, "y", null))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.commitVersions(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
