package dev.statefort.core.storage;

import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.SmallBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Sends the keys of blobs kept in the database ({@link BlobKeys#isInDatabase}) to the {@link
 * SmallBlobStore} and every other key to the storage profiles' store. Everything that handles a blob
 * by key (reads, moves, re-encryption, backups, the offline tools) goes through here, so a small
 * state's blob is found wherever it is kept. Its bytes are written with their version's commit; a put
 * here (a quarantined write, a re-encryption) is its own durable write.
 */
public final class DatabaseRoutedBlobStore implements BlobStore {
    private final SmallBlobStore database;
    private final BlobStore profiles;

    public DatabaseRoutedBlobStore(SmallBlobStore database, BlobStore profiles) {
        this.database = database;
        this.profiles = profiles;
    }

    @Override
    public long put(String key, InputStream content) throws IOException {
        if (!BlobKeys.isInDatabase(BlobKeys.require(key))) {
            return profiles.put(key, content);
        }
        byte[] bytes = content.readAllBytes();
        database.putSmallBlob(key, bytes);
        return bytes.length;
    }

    @Override
    public InputStream open(String key) {
        if (!BlobKeys.isInDatabase(BlobKeys.require(key))) {
            return profiles.open(key);
        }
        return new ByteArrayInputStream(database.findSmallBlob(key).orElseThrow(() -> new BlobNotFoundException(key)));
    }

    @Override
    public void delete(String key) {
        if (BlobKeys.isInDatabase(BlobKeys.require(key))) {
            database.deleteSmallBlob(key);
        } else {
            profiles.delete(key);
        }
    }

    @Override
    public boolean exists(String key) {
        return BlobKeys.isInDatabase(BlobKeys.require(key))
                ? database.findSmallBlob(key).isPresent()
                : profiles.exists(key);
    }

    @Override
    public void ping() {
        profiles.ping();
    }

    @Override
    public void close() {
        profiles.close();
    }

    @Override
    public String toString() {
        return profiles.toString();
    }
}
