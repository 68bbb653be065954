package dev.statefort.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import dev.statefort.store.fs.FileSystemBlobStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each call of a profile's store is timed by operation and outcome, on a real file system store. */
class MeteredBlobStoreTest {
    @TempDir
    Path tmp;

    @Test
    void outcomesAreOkNotFoundAbortedAndUnavailable() throws Exception {
        try (NodeMetrics metrics = new NodeMetrics()) {
            Path dir = tmp.resolve("blobs");
            BlobStore store = new MeteredBlobStore(FileSystemBlobStores.open(dir), "disk", metrics);
            store.put("p/a", new ByteArrayInputStream("abc".getBytes()));
            try (InputStream in = store.open("p/a")) {
                assertThat(in.readAllBytes()).isEqualTo("abc".getBytes());
            }
            assertThatThrownBy(() -> store.open("p/missing")).isInstanceOf(BlobNotFoundException.class);
            assertThatThrownBy(() -> store.put("p/b", new InputStream() {
                        @Override
                        public int read() throws IOException {
                            throw new IOException("the client went away");
                        }
                    }))
                    .isInstanceOf(IOException.class);
            // the store's directory replaced by a file: the store no longer answers
            deleteTree(dir);
            Files.writeString(dir, "not a directory");
            assertThatThrownBy(() -> store.put("p/c", new ByteArrayInputStream("x".getBytes())))
                    .isInstanceOf(StoreUnavailableException.class);

            String text = metrics.scrape();
            assertThat(text)
                    .contains(line("put", "ok", 1))
                    .contains(line("open", "ok", 1))
                    .contains(line("open", "not-found", 1))
                    .as("the client's upload broke off: no store error")
                    .contains(line("put", "aborted", 1))
                    .contains(line("put", "unavailable", 1));
        }
    }

    private static String line(String operation, String outcome, int count) {
        return "statefort_store_operations_seconds_count{operation=\"" + operation + "\",outcome=\"" + outcome
                + "\",profile=\"disk\"} " + count;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
