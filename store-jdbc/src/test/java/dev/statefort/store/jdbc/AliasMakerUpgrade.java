package dev.statefort.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.AliasMaker;
import dev.statefort.core.spi.MetadataStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * Issue 25: what migration V9 makes of the aliases of a version 8 database, the same on SQLite and
 * PostgreSQL: the maker named by {@code created_by}, the user's ID where that user still exists.
 */
final class AliasMakerUpgrade {
    private AliasMakerUpgrade() {}

    /** Brings the database at {@code url} to version 8 and fills it with aliases of every kind of creator. */
    static void version8WithAliases(String url, String user, String password) throws Exception {
        Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .target("8")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO projects (name, created_at) VALUES ('p', 0)");
            s.execute("INSERT INTO users (name, id, password_hash, global_admin, must_change_password, created_at)"
                    + " VALUES ('alice', 'id-of-alice', 'h', FALSE, FALSE, 1)");
            alias(s, "session", "user:alice");
            alias(s, "usertoken", "user:alice/token:abc123def456");
            alias(s, "robot", "token:robot0000000");
            alias(s, "gone", "user:bob");
            alias(s, "gonetoken", "user:bob/token:bob123bob456");
            alias(s, "cli", "cli:root");
            alias(s, "none", null);
        }
    }

    private static void alias(Statement s, String id, String createdBy) throws Exception {
        s.execute("INSERT INTO aliases (id, project, state, username, permission, secret_hash, created_by, created_at)"
                + " VALUES ('" + id + "', 'p', 's', 'alias-" + id + "', 'WRITE', 'hash', "
                + (createdBy == null ? "NULL" : "'" + createdBy + "'") + ", 2)");
    }

    /** The aliases of {@link #version8WithAliases} in the upgraded store. */
    static void assertMakers(MetadataStore upgraded) {
        assertThat(maker(upgraded, "session")).isEqualTo(new AliasMaker("alice", "id-of-alice", null));
        assertThat(maker(upgraded, "usertoken")).isEqualTo(new AliasMaker("alice", "id-of-alice", "abc123def456"));
        assertThat(maker(upgraded, "robot")).isEqualTo(new AliasMaker(null, null, "robot0000000"));
        assertThat(maker(upgraded, "gone"))
                .as("bob was deleted before the upgrade: a name without an ID never passes")
                .isEqualTo(new AliasMaker("bob", null, null));
        assertThat(maker(upgraded, "gonetoken")).isEqualTo(new AliasMaker("bob", null, "bob123bob456"));
        assertThat(maker(upgraded, "cli")).isEqualTo(AliasMaker.UNRECORDED);
        assertThat(maker(upgraded, "none")).isEqualTo(AliasMaker.UNRECORDED);
        assertThat(upgraded.access().findAlias("session").orElseThrow().expiresAt())
                .isNull();
        assertThat(upgraded.access().findAlias("cli").orElseThrow().createdBy()).isEqualTo("cli:root");
    }

    private static AliasMaker maker(MetadataStore store, String id) {
        return store.access().findAlias(id).orElseThrow().maker();
    }
}
