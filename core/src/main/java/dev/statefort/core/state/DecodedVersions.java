package dev.statefort.core.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.core.version.VersionRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Versions' bytes as clients get them (decrypted, decompressed, checked against their SHA-256),
 * kept in memory so a state read again is not decrypted again: bounded by bytes ({@code
 * read-cache-size}, 0 = off), and a version larger than a quarter of it is never kept. Keyed by the
 * blob key and digest, which never change, so it is right with several nodes: which version is
 * current is still asked of the database on every read, and a token check is never cached.
 */
public final class DecodedVersions {
    private final BlobStore blobs;
    private final long maxEntryBytes;
    private final Cache<String, byte[]> cache;

    /** @param maxBytes 0 turns the cache off */
    public DecodedVersions(BlobStore blobs, long maxBytes) {
        this.blobs = blobs;
        this.maxEntryBytes = maxBytes / 4;
        this.cache = maxBytes <= 0
                ? null
                : Caffeine.newBuilder()
                        .maximumWeight(maxBytes)
                        .<String, byte[]>weigher((key, bytes) -> Math.max(1, bytes.length))
                        .build();
    }

    /** No cache: every read decodes the blob. */
    public static DecodedVersions off(BlobStore blobs) {
        return new DecodedVersions(blobs, 0);
    }

    /** The version's bytes; the caller closes the stream. */
    public InputStream open(VersionRecord version) {
        if (cache == null || version.size() > maxEntryBytes || version.sha256() == null) {
            return VersionBlobs.open(blobs, version);
        }
        VersionBlobs.requireOwnBlob(version.key(), version.blobKey());
        String key = version.blobKey() + "#" + version.sha256();
        byte[] bytes = cache.getIfPresent(key);
        if (bytes == null) {
            try (InputStream in = VersionBlobs.open(blobs, version)) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new StoreUnavailableException("reading the blob " + version.blobKey() + " failed", e);
            }
            cache.put(key, bytes);
        }
        return new ByteArrayInputStream(bytes);
    }
}
