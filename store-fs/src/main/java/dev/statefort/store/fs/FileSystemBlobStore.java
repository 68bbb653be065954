package dev.statefort.store.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.statefort.core.spi.BlobKeys;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StorageFullException;
import dev.statefort.core.spi.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Implements BlobStore on a local directory: each key is a file, written to a temp file in the same
 * directory, fsynced, atomically renamed into place, and the directory fsynced.
 */
final class FileSystemBlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemBlobStore.class);

    /** Temp and probe names start with '~', which no key segment may contain: never visible as blobs. */
    static final String TEMP_PREFIX = "~tmp-";

    private static final String PROBE_PREFIX = "~probe-";
    private static final int BUFFER = 64 * 1024;

    private final Path root;

    private FileSystemBlobStore(Path root) {
        this.root = root;
    }

    static FileSystemBlobStore open(Path root, Duration staleTempAge) {
        Path dir = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new StoreUnavailableException("blob directory " + dir + " is not writable");
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create blob directory " + dir, e);
        }
        FileSystemBlobStore store = new FileSystemBlobStore(dir);
        store.removeStaleTempFiles(Instant.now().minus(staleTempAge));
        return store;
    }

    @Override
    public long put(String key, InputStream content) throws IOException {
        Path target = resolve(key);
        Path dir = target.getParent();
        requireRoot();
        createDirectoriesDurably(dir, key);
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        boolean moved = false;
        try {
            long size;
            try (FileChannel out = FileChannel.open(temp, CREATE_NEW, WRITE)) {
                size = copy(content, out, key);
                out.force(true);
            } catch (ContentException e) {
                throw e.getCause();
            } catch (IOException e) {
                throw unavailable("write", key, e);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = true;
                fsyncDirectory(dir);
            } catch (IOException e) {
                throw unavailable("write", key, e);
            }
            return size;
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /** Wraps an IOException thrown by the caller's stream, to tell it apart from our own. */
    private static final class ContentException extends IOException {
        ContentException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static long copy(InputStream content, FileChannel out, String key) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        while (true) {
            int n;
            try {
                n = content.read(buffer);
            } catch (IOException e) {
                throw new ContentException(e);
            }
            if (n < 0) {
                return total;
            }
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            total += n;
        }
    }

    @Override
    public InputStream open(String key) {
        Path path = resolve(key);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            requireRoot();
            throw new BlobNotFoundException(key);
        }
        try {
            return Files.newInputStream(path, READ);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw unavailable("open", key, e);
        }
    }

    @Override
    public void delete(String key) {
        Path path = resolve(key);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            requireRoot();
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw unavailable("delete", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        Path path = resolve(key);
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        requireRoot();
        return false;
    }

    @Override
    public void ping() {
        requireRoot();
        Path probe = root.resolve(PROBE_PREFIX + UUID.randomUUID());
        try {
            Files.write(probe, new byte[] {1}, CREATE_NEW, WRITE);
            Files.delete(probe);
        } catch (IOException e) {
            deleteQuietly(probe);
            throw StorageFullException.classify("blob directory " + root + " is not writable", e);
        }
    }

    @Override
    public String toString() {
        return "FileSystemBlobStore[" + root + "]";
    }

    // ---- helpers --------------------------------------------------------------------------

    private Path resolve(String key) {
        BlobKeys.require(key);
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("invalid blob key: resolves outside the store");
        }
        return path;
    }

    /**
     * The root is created once, at open. If it is gone later (an unmounted volume, a deleted
     * directory) that is an outage, never an empty store: recreating it would acknowledge writes
     * into a directory that disappears when the volume comes back.
     */
    private void requireRoot() {
        if (!Files.isDirectory(root)) {
            throw new StoreUnavailableException("blob directory " + root
                    + " is missing (unmounted or deleted?); it is not recreated while running");
        }
    }

    /** Creates the key's directories below the root, one level at a time, and fsyncs each parent. */
    private void createDirectoriesDurably(Path dir, String key) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            List<Path> missing = new ArrayList<>();
            for (Path p = dir; !p.equals(root) && !Files.isDirectory(p); p = p.getParent()) {
                missing.add(p);
            }
            java.util.Collections.reverse(missing);
            for (Path created : missing) {
                try {
                    Files.createDirectory(created);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another writer created it
                }
                fsyncDirectory(created.getParent());
            }
        } catch (IOException e) {
            throw unavailable("create directories for", key, e);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, READ)) {
            channel.force(true);
        }
    }

    private void removeStaleTempFiles(Instant olderThan) {
        FileTime limit = FileTime.from(olderThan);
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)
                            || p.getFileName().toString().startsWith(PROBE_PREFIX))
                    .filter(p -> isOlder(p, limit))
                    .forEach(p -> {
                        LOG.info("removing temp file {} left by an interrupted write", root.relativize(p));
                        deleteQuietly(p);
                    });
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("could not scan {} for stale temp files: {}", root, e.toString());
        }
    }

    private static boolean isOlder(Path p, FileTime limit) {
        try {
            return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    && Files.getLastModifiedTime(p).compareTo(limit) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete temp file {}: {}", p, e.toString());
        }
    }

    private static StoreUnavailableException unavailable(String operation, String key, IOException e) {
        return StorageFullException.classify("file blob store failed to " + operation + " blob " + key, e);
    }
}
