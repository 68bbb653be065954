package dev.statefort.core.state;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.testing.InMemoryBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory blob store that knows which keys are currently stored, to prove nothing leaks. */
final class RecordingBlobStore implements BlobStore {
    private final InMemoryBlobStore delegate = new InMemoryBlobStore();
    private final Set<String> live = ConcurrentHashMap.newKeySet();

    Set<String> liveKeys() {
        return Set.copyOf(live);
    }

    @Override
    public long put(String key, InputStream content) throws IOException {
        long n = delegate.put(key, content);
        live.add(key);
        return n;
    }

    @Override
    public InputStream open(String key) {
        return delegate.open(key);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
        live.remove(key);
    }

    @Override
    public boolean exists(String key) {
        return delegate.exists(key);
    }

    @Override
    public void ping() {}
}
