package dev.statefort.core.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.core.storage.VersionBlobs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Per state, the cache key of the version this node wrote last (bounded: one entry per state written). */
    private final Map<StateKey, String> writtenHeads = new ConcurrentHashMap<>();

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

    private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();

    /** Reads ({@link #open} or {@link #gzipped}) answered from the cache, one per read. */
    public long hits() {
        return hits.sum();
    }

    /** Reads of a version the cache keeps that had to make its bytes first, one per read. */
    public long misses() {
        return misses.sum();
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
        return Optional.of(counted(version, "#gzip", () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) (version.size() / 8 + 64));
            try (InputStream in = new ByteArrayInputStream(cached(version, "", () -> decode(version)));
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
        return new ByteArrayInputStream(counted(version, "", () -> decode(version)));
    }

    /**
     * The version's bytes for background work (the search indexer): from the cache when they are
     * there, else from the store; neither counted nor kept, so background reads never change what the
     * node's reads find cached or what the read-cache metrics say.
     */
    public InputStream openInBackground(VersionRecord version) {
        byte[] kept = keeps(version) ? cache.getIfPresent(cacheKey(version)) : null;
        return kept != null ? new ByteArrayInputStream(kept) : VersionBlobs.open(blobs, version);
    }

    /**
     * Keeps the bytes of a version just written, as read would decode them (the writer had them in
     * memory and checked them against the version's SHA-256), so its first read decodes nothing.
     */
    public void written(VersionRecord version, byte[] body) {
        if (keeps(version) && body.length == version.size()) {
            VersionBlobs.requireOwnBlob(version.key(), version.blobKey());
            String key = cacheKey(version);
            cache.put(key, body);
            String previous = writtenHeads.put(version.key(), key);
            if (previous != null) {
                // the version it replaced is read far less now: leave no large array for the collector
                // to carry in the old generation (it comes back on its next read)
                cache.invalidate(previous);
                cache.invalidate(previous + "#gzip");
            }
        }
    }

    /** A version's decoded bytes under its blob key and digest, which never change. */
    private static String cacheKey(VersionRecord version) {
        return version.blobKey() + "#" + version.sha256();
    }

    /** Whether this version's bytes are kept: the cache is on and the version fits a quarter of it. */
    private boolean keeps(VersionRecord version) {
        return cache != null && version.size() <= maxEntryBytes && version.sha256() != null;
    }

    private byte[] decode(VersionRecord version) throws IOException {
        try (InputStream in = VersionBlobs.open(blobs, version)) {
            return in.readAllBytes();
        }
    }

    /** {@link #cached}, counted as one read: a hit when the form was kept, else a miss. */
    private byte[] counted(VersionRecord version, String suffix, Making make) {
        boolean[] made = {false};
        byte[] bytes = cached(version, suffix, () -> {
            made[0] = true;
            return make.make();
        });
        (made[0] ? misses : hits).increment();
        return bytes;
    }

    /** The kept form {@code suffix} of the version, made by {@code make} when missing. */
    private byte[] cached(VersionRecord version, String suffix, Making make) {
        VersionBlobs.requireOwnBlob(version.key(), version.blobKey());
        String key = cacheKey(version) + suffix;
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
