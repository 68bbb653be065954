package dev.statefort.bench;

import dev.statefort.core.crypto.EncryptingBlobStore;
import dev.statefort.core.crypto.KeyFileMasterKeySource;
import dev.statefort.core.crypto.MasterKeyHolder;
import dev.statefort.core.crypto.ProjectKeyRing;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.store.fs.FileSystemBlobStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The stores a benchmark measures: the same underlying blob store (in memory, or files in a temp
 * directory with fsync like the embedded default) decorated either the way a node with encryption
 * on does (zstd, then Tink streaming AEAD under a project data key wrapped by a master key file) or
 * the way a node with {@code encryption=off} does (header only, bytes passed through).
 */
final class BenchStores implements AutoCloseable {
    private final Path dir;
    private final BlobStore underlying;
    private final BlobStore measured;

    private BenchStores(Path dir, BlobStore underlying, BlobStore measured) {
        this.dir = dir;
        this.underlying = underlying;
        this.measured = measured;
    }

    /**
     * @param mode {@code encrypted} or {@code plaintext}
     * @param backend {@code memory} or {@code files}
     */
    static BenchStores open(String mode, String backend) {
        try {
            Path dir = Files.createTempDirectory("statefort-bench");
            BlobStore underlying =
                    switch (backend) {
                        case "memory" -> new InMemoryBlobStore();
                        case "files" -> FileSystemBlobStores.open(dir.resolve("blobs"));
                        default -> throw new IllegalArgumentException("backend must be memory or files: " + backend);
                    };
            BlobStore measured =
                    switch (mode) {
                        case "encrypted" -> {
                            KeyFileMasterKeySource key = new KeyFileMasterKeySource(dir.resolve("master.key"));
                            key.createIfMissing();
                            ProjectKeyRing ring = new ProjectKeyRing(
                                    new InMemoryMetadataStore(), new MasterKeyHolder(key), Clock.systemUTC());
                            yield new EncryptingBlobStore(underlying, ring, false);
                        }
                        case "plaintext" -> EncryptingBlobStore.plaintext(underlying);
                        default -> throw new IllegalArgumentException("mode must be encrypted or plaintext: " + mode);
                    };
            return new BenchStores(dir, underlying, measured);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BlobStore measured() {
        return measured;
    }

    BlobStore underlying() {
        return underlying;
    }

    @Override
    public void close() {
        measured.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
