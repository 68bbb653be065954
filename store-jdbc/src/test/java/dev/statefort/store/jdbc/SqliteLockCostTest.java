package dev.statefort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.lock.LockInfo;
import dev.statefort.core.lock.LockRequest;
import dev.statefort.core.lock.LockResult;
import dev.statefort.core.lock.UnlockResult;
import dev.statefort.core.state.StateKey;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 point 3: a refused LOCK costs no write transaction; LOCK and UNLOCK of a free state one each. */
class SqliteLockCostTest {
    @TempDir
    Path dir;

    private static LockRequest lock(String id) {
        String json = "{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci\"}";
        return new LockRequest(
                LockInfo.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "t", Instant.EPOCH);
    }

    @Test
    void refusedLocksAndUnlocksAreAnsweredWithoutACommit() {
        try (JdbcMetadataStore store = (JdbcMetadataStore) JdbcMetadataStores.sqlite(dir.resolve("l.db"))) {
            store.createProject("p", Instant.EPOCH);
            StateKey key = new StateKey("p", "s");
            long start = store.writeCommits();
            assertThat(store.tryLock(key, lock("a"))).isInstanceOf(LockResult.Acquired.class);
            assertThat(store.writeCommits() - start).as("LOCK of a free state").isEqualTo(1);

            long held = store.writeCommits();
            for (int i = 0; i < 50; i++) {
                assertThat(store.tryLock(key, lock("b" + i))).isInstanceOf(LockResult.HeldBy.class);
                assertThat(store.unlock(key, "b" + i)).isInstanceOf(UnlockResult.HeldBy.class);
            }
            assertThat(store.writeCommits()).as("50 refused LOCKs and UNLOCKs").isEqualTo(held);

            assertThat(store.unlock(key, "a")).isInstanceOf(UnlockResult.Released.class);
            assertThat(store.writeCommits() - held).as("UNLOCK of the holder").isEqualTo(1);
            long free = store.writeCommits();
            assertThat(store.unlock(key, "a")).isInstanceOf(UnlockResult.NotLocked.class);
            assertThat(store.writeCommits()).as("UNLOCK of a free state").isEqualTo(free);
        }
    }
}
