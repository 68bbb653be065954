package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.millisOrNull;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.AliasRecord;
import dev.statefort.core.model.DeletedUser;
import dev.statefort.core.model.MembershipRecord;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.ProtectionRule;
import dev.statefort.core.model.Role;
import dev.statefort.core.model.SessionRecord;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.model.UploadGrant;
import dev.statefort.core.model.UserRecord;
import dev.statefort.core.spi.AccessStore;
import dev.statefort.core.spi.AuthFailureCount;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Implements {@link AccessStore} on the database of {@link JdbcMetadataStore}: users and
 * memberships here, aliases in {@link JdbcAliases}, sessions in {@link JdbcSessions}. Every change
 * is one conditional statement; deleting a user deletes its memberships and sessions by cascading
 * foreign keys. Never puts a hash into a message.
 */
final class JdbcAccessStore implements AccessStore {
    private static final String USER_COLUMNS =
            "id, name, password_hash, global_admin, must_change_password, created_at, password_changed_at";

    private static final String INSERT_USER =
            "INSERT INTO users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    /** Inserts or replaces the membership; no row when the project or the user is missing. */
    private static final String PUT_MEMBER = "INSERT INTO memberships (project, user_name, role, since)"
            + " SELECT p.name, u.name, ?, ? FROM projects p, users u WHERE p.name = ? AND u.name = ?"
            + " ON CONFLICT (project, user_name) DO UPDATE SET role = excluded.role, since = excluded.since";

    private static final String MEMBER_COLUMNS = "project, user_name, role, since";

    /** PostgreSQL: foreign key violation (the user or project was deleted by a concurrent transaction). */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Sql sql;
    private final JdbcAliases aliases;
    private final JdbcSessions sessions;
    private final JdbcAuthFailures authFailures;
    private final JdbcTrustPolicies trustPolicies;
    private final JdbcProtectionRules protectionRules;
    private final JdbcUploadGrants uploadGrants;

    JdbcAccessStore(Sql sql) {
        this.sql = sql;
        this.trustPolicies = new JdbcTrustPolicies(sql);
        this.protectionRules = new JdbcProtectionRules(sql);
        this.uploadGrants = new JdbcUploadGrants(sql);
        this.aliases = new JdbcAliases(sql);
        this.sessions = new JdbcSessions(sql);
        this.authFailures = new JdbcAuthFailures(sql);
    }

    // ---- upload grants --------------------------------------------------------------------

    @Override
    public void createUploadGrant(UploadGrant grant) {
        uploadGrants.create(grant);
    }

    @Override
    public Optional<UploadGrant> redeemUploadGrant(String idHash, Instant now) {
        return uploadGrants.redeem(idHash, now);
    }

    @Override
    public boolean releaseUploadGrant(String idHash, Instant usedAt) {
        return uploadGrants.release(idHash, usedAt);
    }

    @Override
    public int deleteExpiredUploadGrants(Instant before) {
        return uploadGrants.deleteExpired(before);
    }

    // ---- trust policies -------------------------------------------------------------------

    @Override
    public boolean createTrustPolicy(TrustPolicy policy) {
        return trustPolicies.create(policy);
    }

    @Override
    public Optional<TrustPolicy> findTrustPolicy(String project, String id) {
        return trustPolicies.find(project, id);
    }

    @Override
    public List<TrustPolicy> listTrustPolicies(String project) {
        return trustPolicies.list(project);
    }

    @Override
    public boolean deleteTrustPolicy(String project, String id) {
        return trustPolicies.delete(project, id);
    }

    @Override
    public ProtectionRule createProtectionRule(ProtectionRule draft) {
        return protectionRules.create(draft);
    }

    @Override
    public List<ProtectionRule> listProtectionRules(String project) {
        return protectionRules.list(project);
    }

    @Override
    public boolean deleteProtectionRule(String project, String id) {
        return protectionRules.delete(project, id);
    }

    // ---- users ----------------------------------------------------------------------------

    @Override
    public boolean createUser(UserRecord user) {
        return sql.write(
                "create a user",
                c -> update(
                                c,
                                INSERT_USER,
                                user.id(),
                                user.name(),
                                user.passwordHash(),
                                user.globalAdmin(),
                                user.mustChangePassword(),
                                millis(user.createdAt()),
                                millisOrNull(user.passwordChangedAt()))
                        == 1);
    }

    @Override
    public Optional<UserRecord> findUser(String name) {
        return sql.read("find a user", c -> queryUsers(c, " WHERE name = ?", name).stream()
                .findFirst());
    }

    @Override
    public List<UserRecord> listUsers() {
        List<UserRecord> users = new ArrayList<>(sql.read("list users", c -> queryUsers(c, "")));
        // Sorted here: database collations differ (PostgreSQL's locale order is not String order).
        users.sort(Comparator.comparing(UserRecord::name));
        return List.copyOf(users);
    }

    @Override
    public boolean setPassword(String user, String passwordHash, boolean mustChangePassword, Instant now) {
        return sql.write(
                "set a password",
                c -> update(
                                c,
                                "UPDATE users SET password_hash = ?, must_change_password = ?,"
                                        + " password_changed_at = ? WHERE name = ?",
                                passwordHash,
                                mustChangePassword,
                                millis(now),
                                user)
                        == 1);
    }

    @Override
    public boolean setGlobalAdmin(String user, boolean globalAdmin) {
        return sql.write(
                "set the global admin role",
                c -> update(c, "UPDATE users SET global_admin = ? WHERE name = ?", globalAdmin, user) == 1);
    }

    /**
     * One transaction: the user's tokens and their descendants revoked, the sessions ended, then the
     * DELETE (memberships go with it: ON DELETE CASCADE, foreign keys are on in SQLite).
     */
    @Override
    public Optional<DeletedUser> deleteUser(String name, Instant now) {
        return sql.write("delete a user", c -> {
            Optional<UserRecord> user =
                    queryUsers(c, " WHERE name = ?", name).stream().findFirst();
            if (user.isEmpty()) {
                return Optional.empty();
            }
            String id = user.get().id();
            int tokens = update(
                    c,
                    JdbcTokens.revokeTree("SELECT id FROM tokens WHERE owner_user_id = ?"),
                    id,
                    now.truncatedTo(ChronoUnit.MILLIS));
            int sessionsEnded = update(c, "DELETE FROM sessions WHERE user_name = ?", name);
            if (update(c, "DELETE FROM users WHERE id = ?", id) != 1) {
                return Optional.empty();
            }
            return Optional.of(new DeletedUser(id, tokens, sessionsEnded));
        });
    }

    private static List<UserRecord> queryUsers(Connection c, String where, Object... params) throws SQLException {
        List<UserRecord> out = new ArrayList<>();
        try (BoundStatement ps = prepare(c, "SELECT " + USER_COLUMNS + " FROM users" + where, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new UserRecord(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getString("password_hash"),
                        rs.getBoolean("global_admin"),
                        rs.getBoolean("must_change_password"),
                        getInstant(rs, "created_at"),
                        getInstant(rs, "password_changed_at")));
            }
        }
        return out;
    }

    // ---- memberships ----------------------------------------------------------------------

    @Override
    public boolean putMember(MembershipRecord m) {
        return sql.write("put a member", c -> {
            int inserted;
            try {
                inserted = update(c, PUT_MEMBER, m.role().name(), millis(m.since()), m.project(), m.user());
            } catch (SQLException e) {
                if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                    throw new Sql.Retry(); // deleted by a concurrent transaction: the retry sees it gone
                }
                throw e;
            }
            if (inserted == 0) {
                try (BoundStatement ps = prepare(c, "SELECT 1 FROM projects WHERE name = ?", m.project());
                        ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new ProjectNotFoundException(m.project());
                    }
                }
            }
            return inserted == 1;
        });
    }

    @Override
    public boolean removeMember(String project, String user) {
        return sql.write(
                "remove a member",
                c -> update(c, "DELETE FROM memberships WHERE project = ? AND user_name = ?", project, user) == 1);
    }

    @Override
    public List<MembershipRecord> listMembers(String project) {
        List<MembershipRecord> members =
                new ArrayList<>(sql.read("list members", c -> queryMembers(c, "project", project)));
        members.sort(Comparator.comparing(MembershipRecord::user));
        return List.copyOf(members);
    }

    @Override
    public List<MembershipRecord> listMemberships(String user) {
        List<MembershipRecord> memberships =
                new ArrayList<>(sql.read("list memberships", c -> queryMembers(c, "user_name", user)));
        memberships.sort(Comparator.comparing(MembershipRecord::project));
        return List.copyOf(memberships);
    }

    private static List<MembershipRecord> queryMembers(Connection c, String column, String value) throws SQLException {
        List<MembershipRecord> out = new ArrayList<>();
        try (BoundStatement ps =
                        prepare(c, "SELECT " + MEMBER_COLUMNS + " FROM memberships WHERE " + column + " = ?", value);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new MembershipRecord(
                        rs.getString("project"),
                        rs.getString("user_name"),
                        Role.valueOf(rs.getString("role")),
                        getInstant(rs, "since")));
            }
        }
        return out;
    }

    // ---- aliases --------------------------------------------------------------------------

    @Override
    public void createAlias(AliasRecord alias) {
        aliases.create(alias);
    }

    @Override
    public Optional<AliasRecord> findAlias(String id) {
        return aliases.find(id);
    }

    @Override
    public List<AliasRecord> listAliases(String project) {
        return aliases.list(project);
    }

    @Override
    public boolean revokeAlias(String id, Instant now) {
        return aliases.revoke(id, millis(now));
    }

    @Override
    public boolean replaceAliasSecret(String id, String secretHash) {
        return aliases.replaceSecret(id, secretHash);
    }

    // ---- sessions -------------------------------------------------------------------------

    @Override
    public void createSession(SessionRecord session) {
        sessions.create(session);
    }

    @Override
    public Optional<SessionRecord> findSession(String idHash) {
        return sessions.find(idHash);
    }

    @Override
    public boolean touchSession(String idHash, Instant now) {
        return sessions.touch(idHash, millis(now));
    }

    @Override
    public boolean deleteSession(String idHash) {
        return sessions.delete(idHash);
    }

    @Override
    public int deleteSessionsOf(String user) {
        return sessions.deleteOf(user);
    }

    @Override
    public int deleteExpiredSessions(Instant idleBefore, Instant createdBefore) {
        return sessions.deleteExpired(idleBefore, createdBefore);
    }

    static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public AuthFailureCount countAuthFailure(String key, Instant now, java.time.Duration window, int renewUpTo) {
        return authFailures.count(key, now, window, renewUpTo);
    }

    @Override
    public void forgiveAuthFailure(String key) {
        authFailures.forgive(key);
    }
}
