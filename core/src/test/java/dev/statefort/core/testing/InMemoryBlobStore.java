package dev.statefort.core.testing;

import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Implements BlobStore in the heap, for unit tests; nothing survives the process. */
public final class InMemoryBlobStore implements BlobStore {
    private final ConcurrentMap<String, byte[]> blobs = new ConcurrentHashMap<>();

    @Override
    public long put(String key, InputStream content) throws IOException {
        BlobKeys.require(key);
        byte[] bytes = content.readAllBytes();
        blobs.put(key, bytes);
        return bytes.length;
    }

    @Override
    public InputStream open(String key) {
        BlobKeys.require(key);
        byte[] bytes = blobs.get(key);
        if (bytes == null) {
            throw new BlobNotFoundException(key);
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public void delete(String key) {
        BlobKeys.require(key);
        blobs.remove(key);
    }

    @Override
    public boolean exists(String key) {
        BlobKeys.require(key);
        return blobs.containsKey(key);
    }

    @Override
    public void ping() {}

    /** The keys stored now, sorted. */
    public java.util.SortedSet<String> keys() {
        return new java.util.TreeSet<>(blobs.keySet());
    }
}
