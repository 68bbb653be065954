package dev.statefort.server.wiring;

import dev.statefort.core.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A storage profile's store, opened on its first use: a CLI command that touches no blob (a token,
 * a user, a member) never reaches a bucket. {@code serve} opens every profile at start ({@link
 * StatefortNode#openStorage}), so a profile that cannot be opened stops it there.
 */
final class LazyBlobStore implements BlobStore {
    private final String profile;
    private final Supplier<BlobStore> opener;
    private volatile BlobStore store;

    LazyBlobStore(String profile, Supplier<BlobStore> opener) {
        this.profile = profile;
        this.opener = opener;
    }

    /** The store, opening it if this is the first use. */
    BlobStore store() {
        BlobStore opened = store;
        if (opened == null) {
            synchronized (this) {
                if (store == null) {
                    store = opener.get();
                }
                opened = store;
            }
        }
        return opened;
    }

    @Override
    public long put(String key, InputStream content) throws IOException {
        return store().put(key, content);
    }

    @Override
    public InputStream open(String key) {
        return store().open(key);
    }

    @Override
    public void delete(String key) {
        store().delete(key);
    }

    @Override
    public boolean exists(String key) {
        return store().exists(key);
    }

    @Override
    public void ping() {
        store().ping();
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public String toString() {
        return store == null ? "LazyBlobStore[" + profile + ", not opened]" : store.toString();
    }
}
