package dev.statefort.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.RetentionPolicy;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.spi.BlobKeys;
import org.junit.jupiter.api.Test;

/**
 * Small blobs kept in the database (issue 27 point 3): stored with their version's commit and only
 * then, gone with the version (retention, a state's deletion), and reachable by key. A group of
 * {@link MetadataStoreContract}.
 */
public abstract class SmallBlobContract extends MetadataStoreContractGroup {
    private static String smallKey(StateKey key) {
        return BlobKeys.newDatabaseBlob(key.project(), key.name());
    }

    private CommitResult commitSmall(StateKey key, String blobKey, byte[] content, String lockId, int keep) {
        return store.commitVersion(VersionCommit.of(key, newVersion(blobKey, T0), lockId)
                .withRetention(new RetentionPolicy(keep, null))
                .withSmallBlob(content));
    }

    @Test
    void aCommittedVersionsSmallBlobIsStoredWithIt() {
        StateKey key = state("s");
        String blobKey = smallKey(key);
        byte[] content = {1, 2, 3, 0, -1};

        assertThat(commitSmall(key, blobKey, content, null, 100)).isInstanceOf(CommitResult.Committed.class);

        assertThat(store.findSmallBlob(blobKey))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
        assertThat(store.headVersion(key).orElseThrow().blobKey()).isEqualTo(blobKey);
    }

    @Test
    void aRefusedCommitStoresNoSmallBlob() {
        StateKey key = state("s");
        lock(key, "L1", T0);
        String blobKey = smallKey(key);

        assertThat(commitSmall(key, blobKey, bytes("x"), "other", 100)).isInstanceOf(CommitResult.LockedBy.class);

        assertThat(store.findSmallBlob(blobKey)).isEmpty();
    }

    @Test
    void retentionAndDeletionRemoveTheSmallBlobsWithTheirVersions() {
        StateKey key = state("s");
        String first = smallKey(key);
        String second = smallKey(key);
        commitSmall(key, first, bytes("one"), null, 1);

        CommitResult.Committed pruning = committed(commitSmall(key, second, bytes("two"), null, 1));

        assertThat(pruning.prunedBlobKeys()).containsExactly(first);
        assertThat(store.findSmallBlob(first)).isEmpty();
        assertThat(store.findSmallBlob(second)).isPresent();
        store.deleteState(key, null);
        assertThat(store.findSmallBlob(second)).isEmpty();
    }

    @Test
    void aSmallBlobCanBeKeptReplacedAndDeletedOnItsOwn() {
        String blobKey = smallKey(state("s"));
        store.putSmallBlob(blobKey, bytes("first"));
        store.putSmallBlob(blobKey, bytes("second"));
        assertThat(store.findSmallBlob(blobKey))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("second")));
        store.deleteSmallBlob(blobKey);
        store.deleteSmallBlob(blobKey); // a missing one: nothing
        assertThat(store.findSmallBlob(blobKey)).isEmpty();
    }
}
