package dev.statefort.core.crypto;

import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key rotation. Every step is a compare-and-set on stored key material or on one version's blob,
 * so an interrupted rotation is finished by running the same command again, and nodes keep
 * reading old versions throughout.
 */
public final class KeyRotation {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);
    private static final int PAGE = 200;

    private final MetadataStore metadata;
    private final Clock clock;

    public KeyRotation(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /** What a master rotation did. */
    public record MasterRotation(int newPrimaryKeyId, int rewrapped, int retiredKeys) {}

    /**
     * Re-wraps every project keyset (and the check value) under a new master key; blobs are not
     * touched. The new key is first saved to {@code target} next to the old one (so nodes that
     * re-read the file can unwrap both), then everything is re-wrapped, then the old key is dropped.
     * When {@code target} already holds two keys, a previous run was interrupted: it is resumed.
     *
     * @param source the master key the data is wrapped with now
     * @param target where the rotated key goes; the same file as {@code source} or a new file
     */
    public MasterRotation rotateMaster(MasterKeySource source, KeyFileMasterKeySource target) {
        MasterKey working;
        boolean inPlace =
                source instanceof KeyFileMasterKeySource file && file.file().equals(target.file());
        if (!inPlace && target.exists() && target.load().keyCount() == 1) {
            throw new CryptoException(target.description() + " already exists and holds a finished key; "
                    + "give a new file for the new master key");
        }
        if (target.exists() && target.load().keyCount() > 1) {
            working = target.load();
            LOG.info("resuming an unfinished master key rotation ({})", target.description());
        } else {
            working = source.load().withNewPrimary();
            target.save(working);
        }
        int rewrapped = 0;
        try {
            if (MasterKeyCheck.rewrap(metadata, working, clock)) {
                rewrapped++;
            }
            ProjectKeyRing ring = new ProjectKeyRing(metadata, new MasterKeyHolder(target), clock);
            for (String name : metadata.listKeyMaterialNames()) {
                if (name.startsWith("project/") && ring.rewrap(name.substring("project/".length()), working)) {
                    rewrapped++;
                }
            }
            for (var webhook : metadata.listAllWebhooks()) {
                if (WebhookSecrets.wrappingKeyId(webhook.sealedSecret()) != working.primaryKeyId()) {
                    String again = WebhookSecrets.rewrap(webhook.id(), webhook.sealedSecret(), working);
                    if (again != null && metadata.replaceWebhookSecret(webhook.id(), webhook.sealedSecret(), again)) {
                        rewrapped++;
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new CryptoException(
                    "key material cannot be unwrapped with " + target.description()
                            + "; was it wrapped under another master key?",
                    e);
        }
        for (String name : metadata.listKeyMaterialNames()) {
            byte[] stored = metadata.findKeyMaterial(name).orElseThrow();
            if (MasterKey.wrappingKeyId(stored) != working.primaryKeyId()) {
                throw new CryptoException("'" + name + "' is still wrapped by an old master key (a node wrapped it "
                        + "during the rotation); run the rotation again to finish it");
            }
        }
        for (var webhook : metadata.listAllWebhooks()) {
            int keyId = WebhookSecrets.wrappingKeyId(webhook.sealedSecret());
            if (keyId != 0 && keyId != working.primaryKeyId()) {
                throw new CryptoException("webhook " + webhook.id() + "'s secret is still wrapped by an old master key"
                        + " (rotated or made during the rotation); run the rotation again to finish it");
            }
        }
        int retired = working.keyCount() - 1;
        target.save(working.withOnlyPrimary());
        return new MasterRotation(working.primaryKeyId(), rewrapped, retired);
    }

    /** Adds a new data key to the project; new writes use it, old versions keep theirs. */
    public int rotateData(ProjectKeyRing ring, String project) {
        return ring.rotate(project);
    }

    /** What a re-encryption did. */
    public record Reencryption(int examined, int rewritten) {}

    /**
     * Rewrites every version of the project not yet under its newest data key (including plaintext
     * blobs written with encryption off) under a fresh blob key, switches the version to it with a
     * compare-and-set, then deletes the old blob.
     *
     * @param raw the undecorated blob store
     */
    public Reencryption reencrypt(ProjectKeyRing ring, BlobStore raw, String project) throws IOException {
        EncryptingBlobStore blobs = new EncryptingBlobStore(raw, ring, true);
        int primary = ring.forWriting(project).primaryKeyId();
        int examined = 0;
        int rewritten = 0;
        String afterState = null;
        Long afterNumber = null;
        while (true) {
            List<VersionRecord> page = metadata.listProjectVersions(project, afterState, afterNumber, PAGE);
            for (VersionRecord v : page) {
                examined++;
                if (blobs.dataKeyIdOf(v.blobKey()) != primary && rewrite(blobs, raw, v)) {
                    rewritten++;
                }
            }
            if (page.size() < PAGE) {
                return new Reencryption(examined, rewritten);
            }
            VersionRecord last = page.get(page.size() - 1);
            afterState = last.key().name();
            afterNumber = last.number();
        }
    }

    private boolean rewrite(EncryptingBlobStore blobs, BlobStore raw, VersionRecord v) throws IOException {
        String newKey = BlobKeys.renewed(v.blobKey());
        try (InputStream plain = blobs.open(v.blobKey())) {
            blobs.put(newKey, plain);
        }
        if (metadata.replaceVersionBlob(v.key(), v.number(), v.blobKey(), newKey)) {
            raw.delete(v.blobKey());
            return true;
        }
        raw.delete(newKey);
        return false;
    }
}
