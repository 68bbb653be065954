package dev.statefort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.CommitResult;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.NewVersion;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TokenRecord;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.model.VersionCommit;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the contract cannot see: restarts, two stores on one file, migrations, failures. */
class SqliteDurabilityTest {
    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("statefort.db");
    }

    @Test
    void locksAndVersionsSurviveReopeningTheDatabase() {
        StateKey key = new StateKey("p", "s");
        LockRecord held;
        try (MetadataStore first = JdbcMetadataStores.sqlite(db())) {
            first.createProject("p", Instant.EPOCH);
            held = ((LockResult.Acquired) first.tryLock(key, TwoNodes.request("L1"))).lock();
            first.commitVersion(VersionCommit.of(
                    key,
                    new NewVersion("k1", 1L, "l", "00", 1, "w", Instant.EPOCH, null, null, java.util.List.of()),
                    "L1"));
        }
        try (MetadataStore second = JdbcMetadataStores.sqlite(db())) {
            assertThat(second.findLock(key)).contains(held);
            assertThat(second.tryLock(key, TwoNodes.request("L2"))).isEqualTo(new LockResult.HeldBy(held));
            assertThat(second.commitVersion(VersionCommit.of(
                            key,
                            new NewVersion("k2", 2L, "l", "00", 1, "w", Instant.EPOCH, null, null, java.util.List.of()),
                            "L2")))
                    .isInstanceOf(CommitResult.LockedBy.class);
            assertThat(second.headVersion(key).orElseThrow().blobKey()).isEqualTo("k1");
        }
    }

    @Test
    void twoStoresOnOneFileNeverBothWinALockNorShareAVersionNumber() throws Exception {
        try (MetadataStore a = JdbcMetadataStores.sqlite(db());
                MetadataStore b = JdbcMetadataStores.sqlite(db())) {
            TwoNodes.neverBothWinALockNorShareAVersionNumber(a, b);
        }
    }

    @Test
    void twoStoresOnOneFileGrantPlanLocksTogetherButNeverBesideAnExclusiveLock() throws Exception {
        try (MetadataStore a = JdbcMetadataStores.sqlite(db());
                MetadataStore b = JdbcMetadataStores.sqlite(db())) {
            TwoNodes.grantPlanLocksTogetherButNeverBesideAnExclusiveLock(a, b);
        }
    }

    @Test
    void migrationIsIdempotentOnReopenAndTheFileUsesWal() throws Exception {
        JdbcMetadataStores.sqlite(db()).close();
        try (MetadataStore again = JdbcMetadataStores.sqlite(db())) {
            again.ping();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*), min(success) FROM flyway_schema_history")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(15); // V1 .. V15
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void aVersionOneDatabaseIsUpgradedAndKeepsItsData() throws Exception {
        Path file = db();
        Files.createDirectories(file.getParent());
        Flyway.configure()
                .dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration")
                .target("1")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO projects (name, created_at) VALUES ('p', 0)");
        }
        try (MetadataStore upgraded = JdbcMetadataStores.sqlite(file)) {
            assertThat(upgraded.findProject("p")).isPresent();
            assertThat(upgraded.replaceKeyMaterial("master-check", null, new byte[] {1}, Instant.EPOCH))
                    .isTrue();
        }
        try (MetadataStore reopened = JdbcMetadataStores.sqlite(file)) {
            assertThat(reopened.findKeyMaterial("master-check").orElseThrow()).containsExactly(1);
        }
    }

    @Test
    void aVersionTwoDatabaseIsUpgradedAndItsVersionsAndLocksStillWork() throws Exception {
        Path file = db();
        Files.createDirectories(file.getParent());
        Flyway.configure()
                .dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration")
                .target("2")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO projects (name, created_at) VALUES ('p', 0)");
            s.execute("INSERT INTO states (project, name, created_at, head_version, lock_id, lock_info,"
                    + " lock_principal, lock_acquired_at, lock_last_activity)"
                    + " VALUES ('p', 's', 0, 1, 'L1', X'7B7D', 'w', 0, 0)");
            s.execute("INSERT INTO versions (project, state, number, sha256, size, created_at, blob_key)"
                    + " VALUES ('p', 's', 1, 'aa', 2, 0, 'old-blob')");
        }
        StateKey key = new StateKey("p", "s");
        try (MetadataStore upgraded = JdbcMetadataStores.sqlite(file)) {
            VersionRecord old = upgraded.findVersion(key, 1).orElseThrow();
            assertThat(old.resourceCount()).isNull();
            assertThat(old.terraformVersion()).isNull();
            assertThat(old.flags()).isEmpty();
            assertThat(upgraded.expireLock(key, "L1", Instant.ofEpochMilli(1))).isTrue();
            assertThat(upgraded.commitVersion(VersionCommit.of(
                            key,
                            new NewVersion("b", null, null, "bb", 1, "w", Instant.EPOCH, 1, "1.9.0", List.of("x")),
                            "L1")))
                    .isInstanceOf(CommitResult.Fenced.class);
            assertThat(upgraded.quarantine(
                                    key,
                                    new NewVersion("q", null, null, "cc", 1, "w", Instant.EPOCH, null, null, null),
                                    null,
                                    List.of("r"))
                            .id())
                    .isEqualTo(1);
        }
    }

    @Test
    void aVersionThreeDatabaseIsUpgradedAndItsTokensAndAuditEventsReadBack() throws Exception {
        Path file = db();
        Files.createDirectories(file.getParent());
        Flyway.configure()
                .dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration")
                .target("3")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO projects (name, created_at) VALUES ('p', 0)");
            s.execute("INSERT INTO tokens (id, name, project, permission, secret_hash, created_at)"
                    + " VALUES ('t1', 'ci', 'p', 'WRITE', 'aa', 5)");
            s.execute("INSERT INTO audit_events (id, at, principal, action, project, state, detail)"
                    + " VALUES ('0000000000000007-x', 7, 'cli', 'token.create', 'p', NULL, NULL)");
        }
        try (MetadataStore upgraded = JdbcMetadataStores.sqlite(file)) {
            assertThat(upgraded.findToken("t1"))
                    .contains(new TokenRecord("t1", "ci", "p", Permission.WRITE, "aa", Instant.ofEpochMilli(5), null));
            assertThat(upgraded.listAudit(new AuditQuery(null, null, null, 10, null)))
                    .containsExactly(new AuditEvent(
                            "0000000000000007-x", Instant.ofEpochMilli(7), "cli", "token.create", "p", null, null));
            assertThat(upgraded.recordTokenUse("t1", Instant.ofEpochMilli(9))).isTrue();
            assertThat(upgraded.access()
                            .createUser(new UserRecord("id-alice", "alice", "h", false, false, Instant.EPOCH, null)))
                    .isTrue();
            assertThat(upgraded.access().putMember(new MembershipRecord("p", "alice", Role.ADMIN, Instant.EPOCH)))
                    .isTrue();
        }
    }

    /** Issue 10 point 2: the tokens of a user deleted before V5 never come back with a new user of that name. */
    @Test
    void aVersionFourDatabaseGetsTokenOwnersByIdAndRevokesTokensOfDeletedUsers() throws Exception {
        Path file = db();
        Files.createDirectories(file.getParent());
        Flyway.configure()
                .dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration")
                .target("4")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO projects (name, created_at) VALUES ('p', 0)");
            s.execute("INSERT INTO users (name, password_hash, global_admin, must_change_password, created_at)"
                    + " VALUES ('alice', 'h', 0, 0, 1)");
            s.execute("INSERT INTO tokens (id, name, project, permission, secret_hash, created_at, owner_user)"
                    + " VALUES ('ta', 'a', 'p', 'WRITE', 'aa', 5, 'alice')");
            s.execute("INSERT INTO tokens (id, name, project, permission, secret_hash, created_at, owner_user)"
                    + " VALUES ('tb', 'b', 'p', 'WRITE', 'bb', 6, 'bob')");
            s.execute("INSERT INTO tokens (id, name, project, permission, secret_hash, created_at)"
                    + " VALUES ('tr', 'robot', 'p', 'WRITE', 'cc', 7)");
        }
        try (MetadataStore upgraded = JdbcMetadataStores.sqlite(file)) {
            UserRecord alice = upgraded.access().findUser("alice").orElseThrow();
            assertThat(alice.id()).isEqualTo("u-alice");
            TokenRecord ta = upgraded.findToken("ta").orElseThrow();
            assertThat(ta.ownerUserId()).isEqualTo("u-alice");
            assertThat(ta.isRevoked()).isFalse();
            TokenRecord tb = upgraded.findToken("tb").orElseThrow();
            assertThat(tb.isRevoked()).as("bob was deleted before the upgrade").isTrue();
            assertThat(upgraded.findToken("tr").orElseThrow().isRevoked()).isFalse();
        }
    }

    /** Issue 13: projects made before storage profiles keep their blobs where they are, the "local" profile. */
    @Test
    void aVersionFiveDatabasesProjectsAreOnTheLocalProfile() throws Exception {
        Path file = db();
        Files.createDirectories(file.getParent());
        Flyway.configure()
                .dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration")
                .target("5")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO projects (name, created_at) VALUES ('old', 0)");
        }
        try (MetadataStore upgraded = JdbcMetadataStores.sqlite(file)) {
            assertThat(upgraded.findProject("old").orElseThrow().storage()).isEqualTo(ProjectRecord.LOCAL_STORAGE);
            assertThat(upgraded.createProject("new", "s3main", java.time.Instant.EPOCH))
                    .isTrue();
            assertThat(upgraded.findProject("new").orElseThrow().storage()).isEqualTo("s3main");
        }
    }

    /** Issue 25: existing aliases get the maker their created_by names (see {@link AliasMakerUpgrade}). */
    @Test
    void aVersionEightDatabasesAliasesGetTheirMakers() throws Exception {
        Files.createDirectories(db().getParent());
        AliasMakerUpgrade.version8WithAliases("jdbc:sqlite:" + db(), null, null);
        try (MetadataStore upgraded = JdbcMetadataStores.sqlite(db())) {
            AliasMakerUpgrade.assertMakers(upgraded);
        }
    }

    @Test
    void sqliteConnectionsAreDurableAndEnforceForeignKeys() throws Exception {
        JdbcMetadataStores.sqlite(db()).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db(), JdbcMetadataStores.sqliteProperties());
                Statement s = c.createStatement()) {
            assertThat(pragma(s, "synchronous")).isEqualTo("2"); // FULL
            assertThat(pragma(s, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(s, "busy_timeout")).isEqualTo("10000");
            assertThat(pragma(s, "journal_mode")).isEqualToIgnoringCase("wal");
        }
    }

    private static String pragma(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsStoreUnavailable() throws Exception {
        Path directory = Files.createDirectories(dir.resolve("is-a-directory"));
        assertThatThrownBy(() -> JdbcMetadataStores.sqlite(directory)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void failuresNameTheOperationButNoValues() {
        MetadataStore store = JdbcMetadataStores.sqlite(db());
        store.close();
        assertThatThrownBy(() -> store.findToken("secret-token-id"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("metadata store failed to find a token");
        assertThatThrownBy(store::ping).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.access().findSession("secret-session-hash"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("metadata store failed to find a session");
        assertThatThrownBy(() -> store.access().setPassword("alice", "$argon2id$secret", false, Instant.EPOCH))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("metadata store failed to set a password");
    }

    @Test
    void anUnreachablePostgresIsStoreUnavailable() {
        assertThatThrownBy(() ->
                        JdbcMetadataStores.postgres("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "u", "p"))
                .isInstanceOf(StoreUnavailableException.class);
    }
}
