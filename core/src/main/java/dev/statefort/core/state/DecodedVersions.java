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

    /** Versions smaller than this are sent as they are: gzip saves nothing worth a header. */
    public static final long MIN_GZIP_BYTES = 1024;

    /**
     * The version's bytes gzip-compressed, made once per version and kept beside the decoded bytes;
     * empty when the cache is off, the version is too large to keep, or too small to be worth it.
     */
    public java.util.Optional<byte[]> gzipped(VersionRecord version) {
        if (cache == null
                || version.size() > maxEntryBytes
                || version.size() < MIN_GZIP_BYTES
                || version.sha256() == null) {
            return java.util.Optional.empty();
        }
        String key = version.blobKey() + "#" + version.sha256() + "#gzip";
        byte[] compressed = cache.getIfPresent(key);
        if (compressed == null) {
            try (InputStream in = open(version)) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) (version.size() / 8 + 64));
                try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out, 64 * 1024)) {
                    in.transferTo(gzip);
                }
                compressed = out.toByteArray();
            } catch (IOException e) {
                throw new StoreUnavailableException("compressing the blob " + version.blobKey() + " failed", e);
            }
            cache.put(key, compressed);
        }
        return java.util.Optional.of(compressed);
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
