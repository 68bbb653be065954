package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.RetentionPolicy;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionDeleteResult;
import dev.statefort.core.model.VersionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary fields of a version, retention, and deleting a version. A group of {@link MetadataStoreContract}. */
public abstract class HistoryContract extends MetadataStoreContractGroup {
    @Test
    void resourceCountTerraformVersionAndFlagsRoundTripExactly() {
        StateKey key = state("s");
        VersionRecord written = committed(
                        store.commitVersion(VersionCommit.of(key, summarized("k1", at(1), ODD_FLAGS), null)))
                .version();
        assertThat(written.resourceCount()).isEqualTo(2_000_000_000);
        assertThat(written.terraformVersion()).isEqualTo("1.9.8");
        assertThat(written.flags()).containsExactlyElementsOf(ODD_FLAGS);

        assertThat(store.headVersion(key)).contains(written);
        assertThat(store.findVersion(key, 1)).contains(written);
        assertThat(store.listVersions(key, PageRequest.first(5)).items()).containsExactly(written);
        assertThat(store.findState(key).orElseThrow().head()).isEqualTo(written);
        assertThat(store.listStates(PROJECT).getFirst().head()).isEqualTo(written);
        assertThat(store.listProjectVersions(PROJECT, null, null, 10)).containsExactly(written);
    }

    @Test
    void absentSummaryFieldsReadBackAsNullAndAnEmptyFlagList() {
        StateKey key = state("s");
        VersionRecord plain = commit(key, "k1", at(1), null);
        VersionRecord zero = committed(store.commitVersion(VersionCommit.of(
                        key,
                        new NewVersion("k2", null, null, sha256Of("k2"), 0L, "w", at(2), 0, "", List.of("only")),
                        null)))
                .version();
        VersionRecord read = store.findVersion(key, 1).orElseThrow();
        assertThat(read).isEqualTo(plain);
        assertThat(read.resourceCount()).isNull();
        assertThat(read.terraformVersion()).isNull();
        assertThat(read.flags()).isEmpty();
        assertThat(store.findVersion(key, 2)).contains(zero);
        assertThat(zero.resourceCount()).isZero();
        assertThat(zero.terraformVersion()).isEmpty();
        assertThat(zero.flags()).containsExactly("only");
    }

    @Test
    void keepThreeOverTenCommitsLeavesTheNewestThreeAndReportsEachPrunedBlobOnce() {
        StateKey key = state("s");
        RetentionPolicy keep3 = new RetentionPolicy(3, null);
        List<String> pruned = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            CommitResult.Committed c = committed(store.commitVersion(
                    VersionCommit.of(key, newVersion("b" + i, at(i)), null).withRetention(keep3)));
            assertThat(c.version().number()).isEqualTo(i);
            assertThat(c.prunedBlobKeys()).isEqualTo(i <= 3 ? List.of() : List.of("b" + (i - 3)));
            pruned.addAll(c.prunedBlobKeys());
        }
        assertThat(pruned).containsExactly("b1", "b2", "b3", "b4", "b5", "b6", "b7");
        assertThat(numbers(key)).containsExactly(10L, 9L, 8L);
        assertThat(store.findVersion(key, 7)).isEmpty();
        assertThat(store.headVersion(key).orElseThrow().blobKey()).isEqualTo("b10");
        assertThat(store.listProjectVersions(PROJECT, null, null, 100))
                .extracting(VersionRecord::blobKey)
                .containsExactly("b8", "b9", "b10");
    }

    @Test
    void tighterRetentionPrunesSeveralOldVersionsAtOnceSortedByNumber() {
        StateKey key = state("s");
        commitMany(key, 5);
        CommitResult.Committed c = committed(store.commitVersion(
                VersionCommit.of(key, newVersion("b6", at(6)), null).withRetention(new RetentionPolicy(2, null))));
        assertThat(c.prunedBlobKeys()).containsExactly("b1", "b2", "b3", "b4");
        assertThat(numbers(key)).containsExactly(6L, 5L);
    }

    @Test
    void keepOneLeavesOnlyTheNewCurrentVersion() {
        StateKey key = state("s");
        commitMany(key, 2);
        CommitResult.Committed c = committed(store.commitVersion(
                VersionCommit.of(key, newVersion("b3", at(3)), null).withRetention(new RetentionPolicy(1, null))));
        assertThat(c.prunedBlobKeys()).containsExactly("b1", "b2");
        assertThat(numbers(key)).containsExactly(3L);
        assertThat(store.headVersion(key).orElseThrow().number()).isEqualTo(3);
    }

    @Test
    void ageProtectsVersionsNewerThanKeepNewerThan() {
        StateKey key = state("s");
        RetentionPolicy policy = new RetentionPolicy(1, Duration.ofSeconds(10));
        assertThat(committed(store.commitVersion(VersionCommit.of(key, newVersion("b1", at(0)), null)
                                .withRetention(policy)))
                        .prunedBlobKeys())
                .isEmpty();
        // v1 is only 1 s older than v2: protected by age although beyond the newest one.
        assertThat(committed(store.commitVersion(VersionCommit.of(key, newVersion("b2", at(1_000)), null)
                                .withRetention(policy)))
                        .prunedBlobKeys())
                .isEmpty();
        // Cut-off 10 s before 20 s: v1 (0 s) and v2 (1 s) are older; v3 at exactly 10 s is kept.
        store.commitVersion(
                VersionCommit.of(key, newVersion("b3", at(10_000)), null).withRetention(RetentionPolicy.KEEP_ALL));
        assertThat(committed(store.commitVersion(VersionCommit.of(key, newVersion("b4", at(20_000)), null)
                                .withRetention(policy)))
                        .prunedBlobKeys())
                .containsExactly("b1", "b2");
        assertThat(numbers(key)).containsExactly(4L, 3L);
        assertThat(committed(store.commitVersion(VersionCommit.of(key, newVersion("b5", at(20_001)), null)
                                .withRetention(policy)))
                        .prunedBlobKeys())
                .containsExactly("b3");
        assertThat(numbers(key)).containsExactly(5L, 4L);
    }

    @Test
    void keepAllPrunesNothing() {
        StateKey key = state("s");
        for (int i = 1; i <= 6; i++) {
            CommitResult.Committed c =
                    committed(store.commitVersion(VersionCommit.of(key, newVersion("b" + i, at(i * 86_400_000L)), null)
                            .withRetention(RetentionPolicy.KEEP_ALL)));
            assertThat(c.prunedBlobKeys()).isEmpty();
        }
        assertThat(numbers(key)).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
    }

    @Test
    void concurrentCommitsWithRetentionPruneEachVersionExactlyOnce() throws Exception {
        StateKey key = state("s");
        int threads = 4;
        int perThread = 5;
        RetentionPolicy keep2 = new RetentionPolicy(2, null);
        List<List<String>> prunedPerThread = runConcurrently(threads, t -> {
            List<String> pruned = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                CommitResult result =
                        store.commitVersion(VersionCommit.of(key, newVersion("t" + t + "-" + i, at(i)), null)
                                .withRetention(keep2));
                pruned.addAll(((CommitResult.Committed) result).prunedBlobKeys());
            }
            return pruned;
        });
        List<String> pruned = prunedPerThread.stream().flatMap(List::stream).toList();
        List<VersionRecord> left =
                store.listVersions(key, PageRequest.first(100)).items();
        assertThat(left).extracting(VersionRecord::number).containsExactly(20L, 19L);
        assertThat(pruned).doesNotHaveDuplicates().hasSize(threads * perThread - 2);
        List<String> all = new ArrayList<>(pruned);
        left.forEach(v -> all.add(v.blobKey()));
        assertThat(all).hasSize(threads * perThread).doesNotHaveDuplicates();
    }

    @Test
    void aRefusedCommitPrunesNothing() {
        StateKey key = state("s");
        commitMany(key, 3);
        lock(key, "L1", at(10));
        CommitResult result = store.commitVersion(
                VersionCommit.of(key, newVersion("x", at(11)), "L2").withRetention(new RetentionPolicy(1, null)));
        assertThat(result).isInstanceOf(CommitResult.LockedBy.class);
        assertThat(numbers(key)).containsExactly(3L, 2L, 1L);
    }

    @Test
    void retentionOnlyReportsVersionsThatStillExist() {
        StateKey key = state("s");
        commitMany(key, 4);
        assertThat(store.deleteVersion(key, 2)).isEqualTo(new VersionDeleteResult.Deleted("b2"));
        CommitResult.Committed c = committed(store.commitVersion(
                VersionCommit.of(key, newVersion("b5", at(5)), null).withRetention(new RetentionPolicy(2, null))));
        assertThat(c.version().number()).isEqualTo(5);
        assertThat(c.prunedBlobKeys()).containsExactly("b1", "b3");
        assertThat(numbers(key)).containsExactly(5L, 4L);
    }

    @Test
    void deleteVersionRemovesAnOldVersionAndReturnsItsBlobKey() {
        StateKey key = state("s");
        commitMany(key, 3);
        assertThat(store.deleteVersion(key, 2)).isEqualTo(new VersionDeleteResult.Deleted("b2"));
        assertThat(store.findVersion(key, 2)).isEmpty();
        assertThat(numbers(key)).containsExactly(3L, 1L);
        assertThat(store.headVersion(key).orElseThrow().number()).isEqualTo(3);
        assertThat(store.listProjectVersions(PROJECT, null, null, 10))
                .extracting(VersionRecord::number)
                .containsExactly(1L, 3L);
        assertThat(store.deleteVersion(key, 2)).isEqualTo(new VersionDeleteResult.NotFound());
    }

    @Test
    void theCurrentVersionIsNeverDeleted() {
        StateKey key = state("s");
        commitMany(key, 2);
        assertThat(store.deleteVersion(key, 2)).isEqualTo(new VersionDeleteResult.IsCurrent());
        assertThat(store.headVersion(key).orElseThrow().blobKey()).isEqualTo("b2");
        assertThat(store.deleteVersion(key, 1)).isEqualTo(new VersionDeleteResult.Deleted("b1"));
        assertThat(store.deleteVersion(key, 2)).isEqualTo(new VersionDeleteResult.IsCurrent());
        assertThat(numbers(key)).containsExactly(2L);
    }

    @Test
    void deleteVersionOfMissingVersionStateOrProjectIsNotFound() {
        StateKey key = state("s");
        commitMany(key, 2);
        assertThat(store.deleteVersion(key, 3)).isEqualTo(new VersionDeleteResult.NotFound());
        assertThat(store.deleteVersion(key, 0)).isEqualTo(new VersionDeleteResult.NotFound());
        assertThat(store.deleteVersion(state("other"), 1)).isEqualTo(new VersionDeleteResult.NotFound());
        assertThat(store.deleteVersion(new StateKey("nope", "s"), 1)).isEqualTo(new VersionDeleteResult.NotFound());
        lock(state("locked-empty"), "L1", T0);
        assertThat(store.deleteVersion(state("locked-empty"), 1)).isEqualTo(new VersionDeleteResult.NotFound());
    }

    @Test
    void numberingContinuesFromTheHeadAfterDeletesNeverReusingNumbers() {
        StateKey key = state("s");
        commitMany(key, 3);
        store.deleteVersion(key, 1);
        store.deleteVersion(key, 2);
        assertThat(commit(key, "b4", at(4), null).number()).isEqualTo(4);
        assertThat(store.deleteVersion(key, 3)).isEqualTo(new VersionDeleteResult.Deleted("b3"));
        assertThat(commit(key, "b5", at(5), null).number()).isEqualTo(5);
        assertThat(numbers(key)).containsExactly(5L, 4L);
    }

    @Test
    void pagingSkipsDeletedVersions() {
        StateKey key = state("s");
        commitMany(key, 6);
        store.deleteVersion(key, 5);
        store.deleteVersion(key, 3);
        Page<VersionRecord> first = store.listVersions(key, PageRequest.first(2));
        assertThat(first.items()).extracting(VersionRecord::number).containsExactly(6L, 4L);
        Page<VersionRecord> second = store.listVersions(key, new PageRequest(2, first.nextBefore()));
        assertThat(second.items()).extracting(VersionRecord::number).containsExactly(2L, 1L);
        assertThat(second.nextBefore()).isNull();
    }

    @Test
    void deleteVersionLeavesOtherStatesAlone() {
        StateKey a = state("a");
        StateKey b = state("b");
        commitMany(a, 2);
        commitMany(b, 2);
        assertThat(store.deleteVersion(a, 1)).isEqualTo(new VersionDeleteResult.Deleted("b1"));
        assertThat(numbers(b)).containsExactly(2L, 1L);
    }
}
