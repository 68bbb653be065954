package dev.statefort.core.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.core.version.VersionRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

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
                        .recordStats()
                        .build();
    }

    /** No cache: every read decodes the blob. */
    public static DecodedVersions off(BlobStore blobs) {
        return new DecodedVersions(blobs, 0);
    }

    /** Reads answered from the cache (0 with the cache off). */
    public long hits() {
        return cache == null ? 0 : cache.stats().hitCount();
    }

    /** Reads of a version the cache keeps that had to decode it from the store (0 with the cache off). */
    public long misses() {
        return cache == null ? 0 : cache.stats().missCount();
    }

    /** Versions smaller than this are sent as they are: gzip saves nothing worth a header. */
    public static final long MIN_GZIP_BYTES = 1024;

    /**
     * The version's bytes gzip-compressed, made once per version and kept beside the decoded bytes;
     * empty when the cache is off, the version is too large to keep, or too small to be worth it.
     */
    public Optional<byte[]> gzipped(VersionRecord version) {
        if (!keeps(version) || version.size() < MIN_GZIP_BYTES) {
            return Optional.empty();
        }
        return Optional.of(cached(version, "#gzip", () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) (version.size() / 8 + 64));
            try (InputStream in = open(version);
                    GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
                in.transferTo(gzip);
            }
            return out.toByteArray();
        }));
    }

    /** The version's bytes; the caller closes the stream. */
    public InputStream open(VersionRecord version) {
        if (!keeps(version)) {
            return VersionBlobs.open(blobs, version);
        }
        return new ByteArrayInputStream(cached(version, "", () -> {
            try (InputStream in = VersionBlobs.open(blobs, version)) {
                return in.readAllBytes();
            }
        }));
    }

    /** Whether this version's bytes are kept: the cache is on and the version fits a quarter of it. */
    private boolean keeps(VersionRecord version) {
        return cache != null && version.size() <= maxEntryBytes && version.sha256() != null;
    }

    /** The kept form {@code suffix} of the version, made by {@code make} when missing. */
    private byte[] cached(VersionRecord version, String suffix, Making make) {
        VersionBlobs.requireOwnBlob(version.key(), version.blobKey());
        String key = version.blobKey() + "#" + version.sha256() + suffix;
        byte[] bytes = cache.getIfPresent(key);
        if (bytes == null) {
            try {
                bytes = make.make();
            } catch (IOException e) {
                throw new StoreUnavailableException("reading the blob " + version.blobKey() + " failed", e);
            }
            cache.put(key, bytes);
        }
        return bytes;
    }

    /** Makes the bytes to keep; may fail reading the blob. */
    @FunctionalInterface
    private interface Making {
        byte[] make() throws IOException;
    }
}
