package dev.statefort.core.testing;

import dev.statefort.core.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

/** A blob store that counts how often a blob is opened (a read that reached the store). */
public final class CountingBlobStore implements BlobStore {
    private final BlobStore raw;
    public final AtomicInteger opens = new AtomicInteger();

    public CountingBlobStore(BlobStore raw) {
        this.raw = raw;
    }

    @Override
    public long put(String key, InputStream content) throws IOException {
        return raw.put(key, content);
    }

    @Override
    public InputStream open(String key) {
        opens.incrementAndGet();
        return raw.open(key);
    }

    @Override
    public void delete(String key) {
        raw.delete(key);
    }

    @Override
    public boolean exists(String key) {
        return raw.exists(key);
    }

    @Override
    public void ping() {}
}
