package dev.statefort.store.fs;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.storagetype.ProfileReader;
import dev.statefort.core.storagetype.StorageKey;
import dev.statefort.core.storagetype.StorageType;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code filesystem}: files below a directory; {@code store-fs}. Profile {@code local}
 * is always one (the data directory's blobs); its settings are the directory.
 */
public final class FileSystemStorageType implements StorageType<Path> {
    public static final FileSystemStorageType TYPE = new FileSystemStorageType();

    public static final StorageKey<Path> DIR = StorageKey.path("dir");

    private static final List<StorageKey<?>> KEYS = List.of(StorageKey.TYPE, DIR);

    private FileSystemStorageType() {}

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public List<StorageKey<?>> keys() {
        return KEYS;
    }

    @Override
    public Path read(ProfileReader r) {
        Path dir = r.get(DIR);
        return dir == null ? r.needs(DIR, "") : dir;
    }

    @Override
    public BlobStore open(Path dir) {
        return FileSystemBlobStores.open(dir);
    }

    @Override
    public Path withoutCreate(Path dir) {
        return dir;
    }

    @Override
    public String location(Path dir) {
        return dir.toString();
    }

    @Override
    public String toString() {
        return name();
    }
}
