package dev.statefort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.audit.AuditService;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockRequest;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.testing.TestPrincipals;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 point 3: a refused LOCK costs no write transaction; LOCK and UNLOCK of a free state one
 * durable commit each, their audit rows included; the audit rows of refused LOCKs and UNLOCKs are
 * stored without an fsync of their own and are listed by the next audit read.
 */
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

    @Test
    void throughTheServiceALockAndAnUnlockCostOneDurableCommitEachWithTheirAuditRows() throws Exception {
        try (JdbcMetadataStore store = (JdbcMetadataStore) JdbcMetadataStores.sqlite(dir.resolve("s.db"))) {
            store.createProject("p", Instant.EPOCH);
            LockService locks = new LockService(
                    store,
                    new SettingsService(store, Clock.systemUTC()),
                    new AuditService(store, Clock.systemUTC()),
                    Clock.systemUTC());
            StateKey key = new StateKey("p", "s");

            long before = store.durableWriteCommits();
            assertThat(locks.lock(TestPrincipals.admin("token:a"), key, lockJson("a")))
                    .isInstanceOf(LockResult.Acquired.class);
            assertThat(store.durableWriteCommits() - before)
                    .as("LOCK with its audit row")
                    .isEqualTo(1);

            long held = store.durableWriteCommits();
            for (int i = 0; i < 50; i++) {
                assertThat(locks.lock(TestPrincipals.admin("token:b"), key, lockJson("b" + i)))
                        .isInstanceOf(LockResult.HeldBy.class);
                assertThat(locks.unlock(TestPrincipals.admin("token:b"), key, lockJson("b" + i)))
                        .isInstanceOf(UnlockResult.HeldBy.class);
            }
            List<AuditEvent> refused = store.listAudit(new AuditQuery("p", "s", null, 500, null)).stream()
                    .filter(e -> e.outcome().equals(AuditEvent.REFUSED))
                    .toList();
            assertThat(refused).as("every refusal is in the audit log").hasSize(100);
            assertThat(refused).allSatisfy(e -> assertThat(e.principal()).isEqualTo("token:b"));
            assertThat(store.durableWriteCommits())
                    .as("50 refused LOCKs and UNLOCKs, their audit rows and the audit read")
                    .isEqualTo(held);

            long released = store.durableWriteCommits();
            long commits = store.writeCommits();
            assertThat(locks.unlock(TestPrincipals.admin("token:a"), key, lockJson("a")))
                    .isInstanceOf(UnlockResult.Released.class);
            assertThat(store.writeCommits() - commits)
                    .as("UNLOCK with its audit row: one commit")
                    .isEqualTo(1);
            assertThat(store.durableWriteCommits() - released)
                    .as("issue 27 point 4: a client's UNLOCK needs no fsync of its own")
                    .isZero();
            assertThat(locks.lock(TestPrincipals.admin("token:a"), key, lockJson("c")))
                    .isInstanceOf(LockResult.Acquired.class);
            long forced = store.durableWriteCommits();
            assertThat(locks.unlock(TestPrincipals.admin("token:a"), key, new byte[0]))
                    .isInstanceOf(UnlockResult.Released.class);
            assertThat(store.durableWriteCommits() - forced)
                    .as("a force-unlock is durable")
                    .isEqualTo(1);
            assertThat(store.listAudit(new AuditQuery("p", "s", null, 500, null)).stream()
                            .filter(e -> e.outcome().equals(AuditEvent.OK))
                            .map(AuditEvent::action))
                    .containsExactly("lock.force-unlock", "lock.acquire", "lock.release", "lock.acquire");
        }
    }

    @Test
    void deferredAuditRowsSurviveAReopenAfterTheNextDurableCommit() throws Exception {
        Path file = dir.resolve("d.db");
        try (JdbcMetadataStore store = (JdbcMetadataStore) JdbcMetadataStores.sqlite(file)) {
            store.createProject("p", Instant.EPOCH);
            LockService locks = new LockService(
                    store,
                    new SettingsService(store, Clock.systemUTC()),
                    new AuditService(store, Clock.systemUTC()),
                    Clock.systemUTC());
            StateKey key = new StateKey("p", "s");
            locks.lock(TestPrincipals.admin("token:a"), key, lockJson("a"));
            locks.lock(TestPrincipals.admin("token:b"), key, lockJson("b"));
            locks.unlock(TestPrincipals.admin("token:a"), key, lockJson("a"));
        }
        try (JdbcMetadataStore reopened = (JdbcMetadataStore) JdbcMetadataStores.sqlite(file)) {
            assertThat(reopened.listAudit(new AuditQuery("p", "s", null, 10, null)).stream()
                            .map(e -> e.action() + " " + e.outcome()))
                    .containsExactly("lock.release ok", "lock.acquire refused", "lock.acquire ok");
        }
    }

    private static byte[] lockJson(String id) {
        return ("{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
