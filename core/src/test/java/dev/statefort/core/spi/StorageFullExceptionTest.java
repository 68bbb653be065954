package dev.statefort.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures mean "no space left" (507) and which are an outage (503). */
class StorageFullExceptionTest {
    @Test
    void aFullDiskOrQuotaOrDatabaseIsStorageFull() {
        assertThat(StorageFullException.classify("put", new IOException("No space left on device")))
                .isInstanceOf(StorageFullException.class);
        assertThat(StorageFullException.classify(
                        "put", new IOException("wrapped", new IOException("Disk quota exceeded"))))
                .isInstanceOf(StorageFullException.class);
        assertThat(StorageFullException.classify(
                        "commit", new SQLException("[SQLITE_FULL] database or disk is full", null, 13)))
                .isInstanceOf(StorageFullException.class);
        assertThat(StorageFullException.classify("commit", new SQLException("could not extend file", "53100")))
                .isInstanceOf(StorageFullException.class);
    }

    @Test
    void anythingElseIsAnOutage() {
        StoreUnavailableException outage = StorageFullException.classify("put", new IOException("Connection refused"));
        assertThat(outage).isNotInstanceOf(StorageFullException.class).hasMessage("put");
        assertThat(StorageFullException.classify("commit", new SQLException("[SQLITE_BUSY]", null, 5)))
                .isNotInstanceOf(StorageFullException.class);
    }
}
