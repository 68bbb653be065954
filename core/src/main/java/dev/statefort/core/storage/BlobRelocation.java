package dev.statefort.core.storage;

import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one version's or quarantined write's blob to another storage profile: copies it under a
 * fresh key that names the profile ({@link BlobKeys#newStateBlob}), reads the copy back and checks
 * its SHA-256 against the row, points the row at the copy with a compare-and-set, and only then
 * deletes the old blob. Every step is safe to interrupt and to race: a row changed meanwhile (by a
 * move on another node, a writer's own relocation, retention, a delete or a promotion) keeps what it
 * points at and the unused copy is deleted.
 */
public final class BlobRelocation {
    private static final Logger LOG = LoggerFactory.getLogger(BlobRelocation.class);

    /** What became of one blob. */
    public enum Outcome {
        /** Copied, verified and switched; the old blob deleted. */
        MOVED,
        /** Already on the profile: nothing done. */
        IN_PLACE,
        /** The row changed or went away meanwhile: nothing switched, the copy deleted. */
        CHANGED
    }

    private final MetadataStore metadata;
    private final BlobStore blobs;

    /** @param blobs the store the services read and write through (decrypting, routed by key) */
    public BlobRelocation(MetadataStore metadata, BlobStore blobs) {
        this.metadata = metadata;
        this.blobs = blobs;
    }

    /** The profile a blob key is on: the one it names, or (a key from before moves) its project's {@code storage}. */
    public static String profileOf(String blobKey, String projectStorage) {
        return BlobKeys.profileOf(blobKey).orElse(projectStorage);
    }

    /** Whether the blob is on {@code profile} already, or in the database, which is on every profile. */
    public static boolean isInPlace(String blobKey, String projectStorage, String profile) {
        return BlobKeys.isInDatabase(blobKey)
                || profileOf(blobKey, projectStorage).equals(profile);
    }

    /** Moves the version's blob to {@code profile} ({@code projectStorage}: where keys naming no profile are). */
    public Outcome relocate(VersionRecord version, String projectStorage, String profile) throws IOException {
        if (isInPlace(version.blobKey(), projectStorage, profile)) {
            return Outcome.IN_PLACE;
        }
        Optional<String> copy =
                copy(version.key(), version.blobKey(), version.sha256(), profile, () -> metadata.findVersion(
                                version.key(), version.number())
                        .map(VersionRecord::blobKey));
        return switched(
                copy,
                version.blobKey(),
                newKey -> metadata.replaceVersionBlob(version.key(), version.number(), version.blobKey(), newKey));
    }

    /** Moves the quarantined write's blob to {@code profile}. */
    public Outcome relocate(QuarantineRecord quarantined, String projectStorage, String profile) throws IOException {
        String blobKey = quarantined.version().blobKey();
        if (isInPlace(blobKey, projectStorage, profile)) {
            return Outcome.IN_PLACE;
        }
        Optional<String> copy =
                copy(quarantined.key(), blobKey, quarantined.version().sha256(), profile, () -> metadata.findQuarantine(
                                quarantined.key(), quarantined.id())
                        .map(q -> q.version().blobKey()));
        return switched(
                copy,
                blobKey,
                newKey -> metadata.replaceQuarantineBlob(quarantined.key(), quarantined.id(), blobKey, newKey));
    }

    /**
     * After a write: when its project started moving to another profile after the write chose where
     * to put its blob, the write moves its own blob there, so no write that lands during a move is
     * left on the old profile (the move's passes cannot see a row committed after their last look;
     * the writer always can). A failure is logged: the write stands, on the old profile, and the
     * next run of the move finds it.
     */
    public void followMove(StateKey key, VersionRecord written) {
        if (BlobKeys.isInDatabase(written.blobKey())) {
            return; // in the database: no profile to follow
        }
        followMove(key, (storage, placement) -> relocate(written, storage, placement));
    }

    /** {@link #followMove(StateKey, VersionRecord)} for a write the guard quarantined. */
    public void followMove(StateKey key, QuarantineRecord quarantined) {
        if (BlobKeys.isInDatabase(quarantined.version().blobKey())) {
            return;
        }
        followMove(key, (storage, placement) -> relocate(quarantined, storage, placement));
    }

    private interface Relocation {
        Outcome to(String storage, String placement) throws IOException;
    }

    private void followMove(StateKey key, Relocation relocation) {
        try {
            Optional<ProjectRecord> project = metadata.findProject(key.project());
            if (project.isEmpty()) {
                return;
            }
            String placement = project.get().placement();
            if (relocation.to(project.get().storage(), placement) == Outcome.MOVED) {
                LOG.info(
                        "state {}: the project moved to storage profile '{}' during the write; its blob followed",
                        key,
                        placement);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "state {}: could not move a new blob to the project's new storage profile ({}); "
                            + "run the storage move again to finish it",
                    key,
                    e.toString());
        }
    }

    private Outcome switched(Optional<String> copy, String oldKey, java.util.function.Predicate<String> compareAndSet) {
        if (copy.isEmpty()) {
            return Outcome.CHANGED;
        }
        if (!compareAndSet.test(copy.get())) {
            deleteQuietly(copy.get());
            return Outcome.CHANGED;
        }
        deleteQuietly(oldKey);
        return Outcome.MOVED;
    }

    /**
     * The verified copy's key; empty when the blob is gone because its row changed meanwhile
     * ({@code rowsBlobKey} no longer names it). A blob missing under an unchanged row is an error.
     */
    private Optional<String> copy(
            StateKey key, String blobKey, String sha256, String profile, Supplier<Optional<String>> rowsBlobKey)
            throws IOException {
        String newKey = BlobKeys.newStateBlob(key.project(), key.name(), profile);
        String copied;
        try (InputStream source = VersionBlobs.open(blobs, key, blobKey, sha256)) {
            DigestInputStream digesting = new DigestInputStream(source, sha256());
            blobs.put(newKey, digesting);
            copied = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        } catch (BlobNotFoundException e) {
            if (rowsBlobKey.get().filter(blobKey::equals).isEmpty()) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(newKey);
            throw e;
        }
        try (InputStream back = VersionBlobs.open(blobs, key, newKey, sha256 != null ? sha256 : copied)) {
            back.transferTo(OutputStream.nullOutputStream()); // fails at the end unless the SHA-256 matches
        } catch (IOException | RuntimeException e) {
            deleteQuietly(newKey);
            throw e;
        }
        return Optional.of(newKey);
    }

    private void deleteQuietly(String blobKey) {
        try {
            blobs.delete(blobKey);
        } catch (RuntimeException e) {
            LOG.warn("could not delete the blob {} after moving it: {}", blobKey, e.toString());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
