package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key material, the walk over a project's versions and the compare-and-set of a version's blob (re-encryption). A group of {@link MetadataStoreContract}. */
public abstract class KeyMaterialContract extends MetadataStoreContractGroup {

    private byte[] material(String name) {
        return store.findKeyMaterial(name).orElseThrow();
    }

    @Test
    void absentKeyMaterialIsEmpty() {
        assertThat(store.findKeyMaterial("master-check")).isEmpty();
        assertThat(store.listKeyMaterialNames()).isEmpty();
    }

    @Test
    void compareAndSetFromAbsentSucceedsOnlyOnce() {
        assertThat(store.replaceKeyMaterial("project/p", null, bytes("first"), T0))
                .isTrue();
        assertThat(store.replaceKeyMaterial("project/p", null, bytes("second"), at(1)))
                .isFalse();
        assertThat(material("project/p")).isEqualTo(bytes("first"));
        assertThat(store.listKeyMaterialNames()).containsExactly("project/p");
    }

    @Test
    void compareAndSetWithWrongExpectedFailsAndChangesNothing() {
        store.replaceKeyMaterial("k", null, new byte[] {1, 2, 3}, T0);
        assertThat(store.replaceKeyMaterial("k", new byte[] {1, 2, 4}, bytes("x"), at(1)))
                .isFalse();
        assertThat(store.replaceKeyMaterial("k", new byte[] {1, 2}, bytes("x"), at(1)))
                .isFalse();
        assertThat(store.replaceKeyMaterial("k", new byte[] {1, 2, 3, 0}, bytes("x"), at(1)))
                .isFalse();
        assertThat(material("k")).containsExactly(1, 2, 3);
        // Expecting bytes where nothing is stored does not create anything.
        assertThat(store.replaceKeyMaterial("other", new byte[] {1, 2, 3}, bytes("x"), at(1)))
                .isFalse();
        assertThat(store.findKeyMaterial("other")).isEmpty();
        assertThat(store.listKeyMaterialNames()).containsExactly("k");
    }

    @Test
    void compareAndSetWithRightExpectedReplaces() {
        store.replaceKeyMaterial("k", null, bytes("v1"), T0);
        assertThat(store.replaceKeyMaterial("k", bytes("v1"), bytes("v2"), at(1)))
                .isTrue();
        assertThat(material("k")).isEqualTo(bytes("v2"));
        assertThat(store.replaceKeyMaterial("k", bytes("v1"), bytes("v3"), at(2)))
                .isFalse();
        assertThat(store.replaceKeyMaterial("k", bytes("v2"), bytes("v2"), at(3)))
                .isTrue();
        assertThat(material("k")).isEqualTo(bytes("v2"));
    }

    @Test
    void everyByteValueIsKeptAndComparedExactly() {
        byte[] all = new byte[512];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertThat(store.replaceKeyMaterial("k", null, all, T0)).isTrue();
        assertThat(material("k")).isEqualTo(all);
        byte[] flipped = all.clone();
        flipped[300] ^= 1;
        assertThat(store.replaceKeyMaterial("k", flipped, bytes("x"), at(1))).isFalse();
        assertThat(store.replaceKeyMaterial("k", all.clone(), new byte[] {0, 0, -1}, at(1)))
                .isTrue();
        assertThat(material("k")).containsExactly(0, 0, -1);
    }

    @Test
    void emptyMaterialIsStoredAndComparedAsEmpty() {
        assertThat(store.replaceKeyMaterial("k", null, new byte[0], T0)).isTrue();
        assertThat(material("k")).isEmpty();
        assertThat(store.replaceKeyMaterial("k", new byte[] {0}, bytes("x"), at(1)))
                .isFalse();
        assertThat(store.replaceKeyMaterial("k", new byte[0], bytes("x"), at(1)))
                .isTrue();
        assertThat(material("k")).isEqualTo(bytes("x"));
    }

    @Test
    void arraysPassedInAndReturnedAreCopies() {
        byte[] given = bytes("secret");
        store.replaceKeyMaterial("k", null, given, T0);
        given[0] = 'X';
        byte[] read = material("k");
        assertThat(read).isEqualTo(bytes("secret"));
        read[0] = 'Y';
        assertThat(material("k")).isEqualTo(bytes("secret"));
        assertThat(material("k")).isNotSameAs(material("k"));
    }

    @Test
    void keyMaterialNamesAreListedInStringOrder() {
        for (String name :
                List.of("project/b", "master-check", "project/a", "Project/Z", "project/a-b", "project/aB")) {
            assertThat(store.replaceKeyMaterial(name, null, bytes(name), T0)).isTrue();
        }
        assertThat(store.listKeyMaterialNames())
                .containsExactly("Project/Z", "master-check", "project/a", "project/a-b", "project/aB", "project/b");
        assertThat(material("project/a-b")).isEqualTo(bytes("project/a-b"));
    }

    @Test
    void ofManyConcurrentCompareAndSetsExactlyOneWins() throws Exception {
        int threads = 16;
        List<Boolean> created =
                runConcurrently(threads, i -> store.replaceKeyMaterial("k", null, bytes("init-" + i), at(i)));
        assertThat(created).containsOnlyOnce(true);
        byte[] current = material("k");
        assertThat(current).isEqualTo(bytes("init-" + created.indexOf(true)));

        List<Boolean> replaced =
                runConcurrently(threads, i -> store.replaceKeyMaterial("k", current, bytes("next-" + i), at(100 + i)));
        assertThat(replaced).containsOnlyOnce(true);
        assertThat(material("k")).isEqualTo(bytes("next-" + replaced.indexOf(true)));
    }

    @Test
    void projectVersionsArePagedByStateNameThenNumberEachExactlyOnce() {
        // String order is "B" < "a" < "a.b" < "a_b" (a locale collation would differ).
        List<VersionRecord> expected = new ArrayList<>();
        expected.addAll(commitMany(state("B"), 3));
        expected.addAll(commitMany(state("a"), 1));
        expected.addAll(commitMany(state("a.b"), 4));
        expected.addAll(commitMany(state("a_b"), 2));
        lock(state("c-no-versions"), "L1", T0);
        store.createProject("other", T0);
        store.createProject("pp", T0);
        for (String name : List.of("a", "B", "zz")) {
            commit(new StateKey("other", name), "other-" + name, T0, null);
            commit(new StateKey("pp", name), "pp-" + name, T0, null);
        }

        List<VersionRecord> walked = new ArrayList<>();
        List<VersionRecord> page = store.listProjectVersions(PROJECT, null, null, 2);
        for (int pages = 0; !page.isEmpty(); pages++) {
            assertThat(pages).as("pages").isLessThan(expected.size());
            assertThat(page).hasSizeLessThanOrEqualTo(2);
            walked.addAll(page);
            VersionRecord last = page.getLast();
            page = store.listProjectVersions(PROJECT, last.key().name(), last.number(), 2);
        }
        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(walked)
                .extracting(v -> v.key().name() + "#" + v.number())
                .containsExactly("B#1", "B#2", "B#3", "a#1", "a.b#1", "a.b#2", "a.b#3", "a.b#4", "a_b#1", "a_b#2");
    }

    @Test
    void projectVersionsResumeStrictlyAfterTheGivenPosition() {
        commitMany(state("a"), 3);
        commitMany(state("c"), 2);
        assertThat(store.listProjectVersions(PROJECT, "a", 1L, 10))
                .extracting(v -> v.key().name() + "#" + v.number())
                .containsExactly("a#2", "a#3", "c#1", "c#2");
        // A position that is not a stored version (e.g. deleted meanwhile) still resumes after it.
        assertThat(store.listProjectVersions(PROJECT, "b", 7L, 10))
                .extracting(v -> v.key().name() + "#" + v.number())
                .containsExactly("c#1", "c#2");
        assertThat(store.listProjectVersions(PROJECT, "a", 99L, 1))
                .extracting(v -> v.key().name() + "#" + v.number())
                .containsExactly("c#1");
        assertThat(store.listProjectVersions(PROJECT, "c", 2L, 10)).isEmpty();
        assertThat(store.listProjectVersions(PROJECT, null, null, 1))
                .extracting(v -> v.key().name() + "#" + v.number())
                .containsExactly("a#1");
    }

    @Test
    void projectVersionsOfAMissingOrEmptyProjectAreEmpty() {
        assertThat(store.listProjectVersions("nope", null, null, 10)).isEmpty();
        store.createProject("empty", T0);
        assertThat(store.listProjectVersions("empty", null, null, 10)).isEmpty();
    }

    @Test
    void projectVersionsRejectHalfAPositionAndBadLimits() {
        state("s");
        assertThatThrownBy(() -> store.listProjectVersions(PROJECT, "s", null, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.listProjectVersions(PROJECT, null, 1L, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.listProjectVersions(PROJECT, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.listProjectVersions(PROJECT, null, null, PageRequest.MAX_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replaceVersionBlobSucceedsOnceAndKeepsEverythingElse() {
        StateKey key = state("s");
        List<VersionRecord> versions = commitMany(key, 3);

        assertThat(store.replaceVersionBlob(key, 2, "b2", "n2")).isTrue();
        assertThat(store.replaceVersionBlob(key, 2, "b2", "n2-again")).isFalse();
        VersionRecord v2 = versions.get(1);
        assertThat(store.findVersion(key, 2))
                .contains(new VersionRecord(
                        v2.key(),
                        v2.number(),
                        v2.serial(),
                        v2.lineage(),
                        v2.sha256(),
                        v2.size(),
                        v2.createdAt(),
                        v2.principal(),
                        v2.lockId(),
                        v2.operation(),
                        "n2",
                        null,
                        null,
                        java.util.List.of()));
        assertThat(store.findVersion(key, 1)).contains(versions.get(0));
        assertThat(store.headVersion(key)).contains(versions.get(2));
        // The new key is the expected one from now on.
        assertThat(store.replaceVersionBlob(key, 2, "n2", "m2")).isTrue();
        assertThat(store.findVersion(key, 2).orElseThrow().blobKey()).isEqualTo("m2");
    }

    @Test
    void replaceVersionBlobFailsForMissingVersionsAndStates() {
        StateKey key = state("s");
        commitMany(key, 2);
        assertThat(store.replaceVersionBlob(key, 3, "b3", "n")).isFalse();
        assertThat(store.replaceVersionBlob(key, 0, "b1", "n")).isFalse();
        assertThat(store.replaceVersionBlob(state("missing"), 1, "b1", "n")).isFalse();
        assertThat(store.replaceVersionBlob(new StateKey("nope", "s"), 1, "b1", "n"))
                .isFalse();
        assertThat(store.listVersions(key, PageRequest.first(10)).items())
                .extracting(VersionRecord::blobKey)
                .containsExactly("b2", "b1");
    }

    @Test
    void readsAndDeletionSeeTheReplacedBlobKeys() {
        StateKey key = state("s");
        StateKey other = state("t");
        commitMany(key, 3);
        commitMany(other, 1);
        assertThat(store.replaceVersionBlob(key, 3, "b3", "n3")).isTrue();
        assertThat(store.replaceVersionBlob(key, 1, "b1", "n1")).isTrue();

        assertThat(store.headVersion(key).orElseThrow().blobKey()).isEqualTo("n3");
        assertThat(store.findState(key).orElseThrow().head().blobKey()).isEqualTo("n3");
        assertThat(store.listVersions(key, PageRequest.first(10)).items())
                .extracting(VersionRecord::blobKey)
                .containsExactly("n3", "b2", "n1");
        assertThat(store.listProjectVersions(PROJECT, null, null, 10))
                .extracting(VersionRecord::blobKey)
                .containsExactly("n1", "b2", "n3", "b1");
        assertThat(store.deleteState(key, null)).isEqualTo(new DeleteResult.Deleted(List.of("n1", "b2", "n3")));
        assertThat(store.replaceVersionBlob(key, 3, "n3", "x")).isFalse();
        assertThat(store.headVersion(other).orElseThrow().blobKey()).isEqualTo("b1");
    }

    @Test
    void ofManyConcurrentBlobReplacementsExactlyOneWins() throws Exception {
        StateKey key = state("s");
        commitMany(key, 2);
        List<Boolean> results = runConcurrently(16, i -> store.replaceVersionBlob(key, 1, "b1", "n" + i));
        assertThat(results).containsOnlyOnce(true);
        assertThat(store.findVersion(key, 1).orElseThrow().blobKey()).isEqualTo("n" + results.indexOf(true));
        assertThat(store.findVersion(key, 2).orElseThrow().blobKey()).isEqualTo("b2");
    }
}
