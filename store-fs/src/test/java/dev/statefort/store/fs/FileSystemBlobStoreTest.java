package dev.statefort.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.store.tck.BlobStoreContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path root;

    @Override
    protected BlobStore newStore() {
        return FileSystemBlobStores.open(root.resolve("blobs"));
    }

    private List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void blobsAreFilesUnderTheRootAndSurviveReopening() throws IOException {
        put("p/s/v1", new byte[] {5, 6});
        assertThat(root.resolve("blobs/p/s/v1")).hasBinaryContent(new byte[] {5, 6});
        BlobStore reopened = FileSystemBlobStores.open(root.resolve("blobs"));
        try (InputStream in = reopened.open("p/s/v1")) {
            assertThat(in.readAllBytes()).containsExactly(5, 6);
        }
    }

    @Test
    void aFailedPutLeavesNoTempFileBehind() throws IOException {
        put("p/s/ok", new byte[] {1});
        // Yields 200,000 bytes, then fails on every further read (never yields more).
        InputStream failing = new InputStream() {
            private int left = 200_000;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    throw new IOException("boom");
                }
                left--;
                return 7;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    throw new IOException("boom");
                }
                int n = Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 7);
                left -= n;
                return n;
            }
        };
        assertThatThrownBy(() -> store.put("p/s/bad", failing)).hasMessage("boom");
        assertThat(filesUnder(root.resolve("blobs"))).containsExactly(root.resolve("blobs/p/s/ok"));
    }

    @Test
    void strayTempFilesAreNeverBlobsAndOldOnesAreRemovedOnOpen() throws IOException {
        Path dir = Files.createDirectories(root.resolve("blobs/p/s"));
        Path old = Files.write(dir.resolve(FileSystemBlobStore.TEMP_PREFIX + "old"), new byte[] {1});
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(7200)));
        Path fresh = Files.write(dir.resolve(FileSystemBlobStore.TEMP_PREFIX + "fresh"), new byte[] {1});

        assertThatThrownBy(() -> store.open("p/s/" + FileSystemBlobStore.TEMP_PREFIX + "fresh"))
                .isInstanceOf(IllegalArgumentException.class);
        FileSystemBlobStores.open(root.resolve("blobs"));
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void pingLeavesNoProbeFileBehind() throws IOException {
        store.ping();
        assertThat(filesUnder(root.resolve("blobs"))).isEmpty();
    }

    @Test
    void pingFailsWhenTheDirectoryIsGone() throws IOException {
        Files.delete(root.resolve("blobs"));
        assertThatThrownBy(() -> store.ping()).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void aKeyBlockedByAFileIsAStoreFailureNotAClientError() throws IOException {
        put("p/s", new byte[] {1});
        assertThatThrownBy(() -> store.put("p/s/v1", new ByteArrayInputStream(new byte[] {2})))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("p/s/v1");
        assertThatThrownBy(() -> store.open("p/s/v1")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void openingAFileWhereTheRootShouldBeFails() throws IOException {
        Path file = Files.write(root.resolve("not-a-dir"), new byte[] {1});
        assertThatThrownBy(() -> FileSystemBlobStores.open(file)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void aVanishedRootIsAnOutageAndIsNeverRecreated() throws IOException {
        put("p/s/v1", new byte[] {1});
        Path blobs = root.resolve("blobs");
        Path away = root.resolve("blobs-unmounted");
        Files.move(blobs, away);

        assertThatThrownBy(() -> store.put("p/s/v2", new ByteArrayInputStream(new byte[] {2})))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> store.open("p/s/v1")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.exists("p/s/v1")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class);
        assertThat(blobs).doesNotExist();

        Files.move(away, blobs);
        try (InputStream in = store.open("p/s/v1")) {
            assertThat(in.readAllBytes()).containsExactly(1);
        }
        assertThatThrownBy(() -> store.open("p/s/never")).isInstanceOf(BlobNotFoundException.class);
    }
}
