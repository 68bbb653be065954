package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Committing and reading versions, and paging through them. A group of {@link MetadataStoreContract}. */
public abstract class VersionContract extends MetadataStoreContractGroup {

    @Test
    void commitVersionOnMissingProjectThrowsProjectNotFoundAndCreatesNothing() {
        StateKey key = new StateKey("nope", "s");
        assertThatThrownBy(() -> store.commitVersion(VersionCommit.of(key, newVersion("k1", T0), null)))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThat(store.findState(key)).isEmpty();
        assertThat(store.headVersion(key)).isEmpty();
    }

    @Test
    void firstCommitCreatesTheStateWithVersionOneAndAllFields() {
        StateKey key = state("s");
        NewVersion nv = new NewVersion(
                "p/s/blob-1",
                42L,
                "lin-1",
                sha256Of("x"),
                987_654_321_012L,
                "tok_abc",
                at(3),
                null,
                null,
                java.util.List.of());
        CommitResult result = store.commitVersion(VersionCommit.of(key, nv, null));

        VersionRecord expected = new VersionRecord(
                key,
                1,
                42L,
                "lin-1",
                sha256Of("x"),
                987_654_321_012L,
                ms(at(3)),
                "tok_abc",
                null,
                null,
                "p/s/blob-1",
                null,
                null,
                java.util.List.of());
        assertThat(result).isEqualTo(new CommitResult.Committed(expected, java.util.List.of()));
        assertThat(store.headVersion(key)).contains(expected);
        assertThat(store.findVersion(key, 1)).contains(expected);
        var state = store.findState(key).orElseThrow();
        assertThat(state.createdAt()).isEqualTo(ms(at(3)));
        assertThat(state.head()).isEqualTo(expected);
        assertThat(state.lock()).isNull();
    }

    @Test
    void commitKeepsNullSerialAndLineage() {
        StateKey key = state("s");
        NewVersion nv = new NewVersion("k1", null, null, sha256Of("y"), 0L, "u", T0, null, null, java.util.List.of());
        VersionRecord v = ((CommitResult.Committed) store.commitVersion(VersionCommit.of(key, nv, null))).version();
        assertThat(v.serial()).isNull();
        assertThat(v.lineage()).isNull();
        assertThat(store.findVersion(key, 1)).contains(v);
    }

    @Test
    void versionsAreNumberedFromOneWithoutGaps() {
        StateKey key = state("s");
        List<VersionRecord> versions = commitMany(key, 5);
        assertThat(versions).extracting(VersionRecord::number).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store.headVersion(key)).contains(versions.get(4));
        assertThat(store.findVersion(key, 3)).contains(versions.get(2));
        assertThat(store.findVersion(key, 6)).isEmpty();
        assertThat(store.findVersion(key, 0)).isEmpty();
        assertThat(store.findVersion(new StateKey("nope", "s"), 1)).isEmpty();
    }

    @Test
    void versionNumbersArePerState() {
        StateKey a = state("a");
        StateKey b = state("b");
        commitMany(a, 3);
        assertThat(commit(b, "kb", T0, null).number()).isEqualTo(1);
        assertThat(store.headVersion(a).orElseThrow().number()).isEqualTo(3);
    }

    @Test
    void commitUnderHeldLockRecordsLockIdAndOperationAndMovesLastActivity() {
        StateKey key = state("s");
        LockRecord held = lock(key, "L1", at(0));
        VersionRecord v = commit(key, "k1", at(4_000), "L1");
        assertThat(v.lockId()).isEqualTo("L1");
        assertThat(v.operation()).isEqualTo("OperationTypeApply");
        assertThat(store.findLock(key))
                .contains(new LockRecord(held.info(), held.principal(), held.acquiredAt(), ms(at(4_000))));
    }

    @Test
    void commitUnderLockWithoutOperationRecordsNullOperation() {
        StateKey key = state("s");
        LockInfo info = LockInfo.parse("{\"ID\":\"L1\"}".getBytes(StandardCharsets.UTF_8));
        store.tryLock(key, new LockRequest(info, "who", T0));
        VersionRecord v = commit(key, "k1", T0, "L1");
        assertThat(v.lockId()).isEqualTo("L1");
        assertThat(v.operation()).isNull();
    }

    @Test
    void commitWithOtherLockIdIsRefusedAndWritesNothing() {
        StateKey key = state("s");
        VersionRecord first = commit(key, "k1", at(0), null);
        LockRecord held = lock(key, "L1", at(1));
        CommitResult result = store.commitVersion(VersionCommit.of(key, newVersion("k2", at(2)), "L2"));

        assertThat(result).isEqualTo(new CommitResult.LockedBy(held));
        assertThat(store.headVersion(key)).contains(first);
        assertThat(store.findVersion(key, 2)).isEmpty();
        assertThat(store.listVersions(key, PageRequest.first(10)).items()).containsExactly(first);
        assertThat(store.findLock(key)).contains(held);
    }

    @Test
    void commitWithNullLockIdWhileLockedIsRefused() {
        StateKey key = state("s");
        LockRecord held = lock(key, "L1", at(1));
        assertThat(store.commitVersion(VersionCommit.of(key, newVersion("k1", at(2)), null)))
                .isEqualTo(new CommitResult.LockedBy(held));
        assertThat(store.headVersion(key)).isEmpty();
        assertThat(store.findLock(key)).contains(held);
    }

    @Test
    void commitWithLockIdWhileUnlockedIsAccepted() {
        StateKey key = state("s");
        lock(key, "L1", at(0));
        store.unlock(key, null); // force-released meanwhile
        VersionRecord v = commit(key, "k1", at(1), "L1");
        assertThat(v.number()).isEqualTo(1);
        assertThat(v.lockId()).isEqualTo("L1");
        assertThat(v.operation()).isNull();
        assertThat(store.findLock(key)).isEmpty();
    }

    @Test
    void commitsAfterUnlockNeedNoLockId() {
        StateKey key = state("s");
        lock(key, "L1", at(0));
        commit(key, "k1", at(1), "L1");
        store.unlock(key, "L1");
        VersionRecord v = commit(key, "k2", at(2), null);
        assertThat(v.number()).isEqualTo(2);
        assertThat(v.lockId()).isNull();
    }

    @Test
    void concurrentCommitsNeverLoseOrDuplicateVersions() throws Exception {
        StateKey key = state("s");
        int threads = 16;
        int perThread = 5;
        List<List<Long>> numbers = runConcurrently(threads, t -> {
            java.util.ArrayList<Long> mine = new java.util.ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(commit(key, "t" + t + "-" + i, at(i), null).number());
            }
            return mine;
        });
        int total = threads * perThread;
        assertThat(numbers.stream().flatMap(List::stream))
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
        Page<VersionRecord> all = store.listVersions(key, PageRequest.first(1000));
        assertThat(all.items())
                .extracting(VersionRecord::number)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total)
                        .map(n -> total + 1 - n)
                        .boxed()
                        .toList());
        assertThat(all.items()).extracting(VersionRecord::blobKey).doesNotHaveDuplicates();
        assertThat(store.headVersion(key).orElseThrow().number()).isEqualTo(total);
    }

    @Test
    void concurrentFirstCommitsCreateOneStateNumberedFromOne() throws Exception {
        StateKey key = state("fresh");
        int threads = 16;
        List<Long> numbers =
                runConcurrently(threads, t -> commit(key, "k" + t, at(t), null).number());
        assertThat(numbers)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, threads).boxed().toList());
        assertThat(store.listStates(PROJECT)).hasSize(1);
    }

    @Test
    void headVersionIsEmptyBeforeFirstWriteAndForUnknownState() {
        StateKey key = state("s");
        lock(key, "L1", T0);
        assertThat(store.headVersion(key)).isEmpty();
        assertThat(store.headVersion(state("missing"))).isEmpty();
    }

    @Test
    void listVersionsPagesNewestFirst() {
        StateKey key = state("s");
        List<VersionRecord> versions = commitMany(key, 25);

        Page<VersionRecord> p1 = store.listVersions(key, PageRequest.first(10));
        assertThat(p1.items()).extracting(VersionRecord::number).containsExactly(numbers(25, 16));
        assertThat(p1.items().getFirst()).isEqualTo(versions.get(24));
        assertThat(p1.nextBefore()).isEqualTo(16L);

        Page<VersionRecord> p2 = store.listVersions(key, new PageRequest(10, p1.nextBefore()));
        assertThat(p2.items()).extracting(VersionRecord::number).containsExactly(numbers(15, 6));
        assertThat(p2.nextBefore()).isEqualTo(6L);

        Page<VersionRecord> p3 = store.listVersions(key, new PageRequest(10, p2.nextBefore()));
        assertThat(p3.items()).extracting(VersionRecord::number).containsExactly(numbers(5, 1));
        assertThat(p3.items().getLast()).isEqualTo(versions.getFirst());
        assertThat(p3.nextBefore()).isNull();
    }

    @Test
    void listVersionsLastPageThatIsExactlyFullHasNoNextBefore() {
        StateKey key = state("s");
        commitMany(key, 25);
        Page<VersionRecord> all = store.listVersions(key, PageRequest.first(25));
        assertThat(all.items()).hasSize(25);
        assertThat(all.nextBefore()).isNull();

        Page<VersionRecord> tail = store.listVersions(key, new PageRequest(5, 6L));
        assertThat(tail.items()).extracting(VersionRecord::number).containsExactly(numbers(5, 1));
        assertThat(tail.nextBefore()).isNull();

        Page<VersionRecord> one = store.listVersions(key, PageRequest.first(1));
        assertThat(one.items()).extracting(VersionRecord::number).containsExactly(25L);
        assertThat(one.nextBefore()).isEqualTo(25L);
    }

    @Test
    void listVersionsBelowTheFirstOrBeyondTheHeadOrOfUnknownState() {
        StateKey key = state("s");
        commitMany(key, 3);
        assertThat(store.listVersions(key, new PageRequest(10, 1L))).isEqualTo(new Page<>(List.of(), null));
        assertThat(store.listVersions(key, new PageRequest(10, 100L)).items())
                .extracting(VersionRecord::number)
                .containsExactly(3L, 2L, 1L);
        assertThat(store.listVersions(state("missing"), PageRequest.first(10))).isEqualTo(new Page<>(List.of(), null));
        assertThat(store.listVersions(new StateKey("nope", "s"), PageRequest.first(10))
                        .items())
                .isEmpty();
    }
}
