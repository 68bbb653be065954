package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.RetentionPolicy;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Quarantined writes: keep, list, find, promote, delete. A group of {@link MetadataStoreContract}. */
public abstract class QuarantineContract extends MetadataStoreContractGroup {

    private static final List<String> REASONS = List.of("removes-all-resources", "serial went back, by 3");

    private QuarantineRecord quarantineOf(StateKey key, String blobKey, Instant createdAt, String lockId) {
        return store.quarantine(key, summarized(blobKey, createdAt, List.of("f1")), lockId, REASONS);
    }

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
    void replaceQuarantineBlobSucceedsOnceAndKeepsEverythingElse() {
        StateKey key = state("s");
        QuarantineRecord q = quarantineOf(key, "q1", at(1), "L1");
        assertThat(store.replaceQuarantineBlob(key, q.id(), "q1", "moved")).isTrue();
        assertThat(store.replaceQuarantineBlob(key, q.id(), "q1", "moved-again"))
                .isFalse();
        assertThat(store.replaceQuarantineBlob(key, 9, "q1", "x")).isFalse();
        assertThat(store.replaceQuarantineBlob(state("missing"), 1, "q1", "x")).isFalse();
        QuarantineRecord read = store.findQuarantine(key, q.id()).orElseThrow();
        assertThat(read.version().blobKey()).isEqualTo("moved");
        assertThat(read)
                .isEqualTo(new QuarantineRecord(
                        key,
                        q.id(),
                        withMillis(summarized("q1", at(1), List.of("f1"))).withBlobKey("moved"),
                        "L1",
                        REASONS));
        assertThat(store.deleteQuarantine(key, q.id())).contains("moved");
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
