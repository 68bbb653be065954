package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.ProtectionRule;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The protection-rule part of {@link JdbcAccessStore}: one row per rule, its lists as JSON arrays. */
final class JdbcProtectionRules {
    private static final String COLUMNS = "id, project, number, states, allow, allow_tokens, created_by, created_at";

    /**
     * Numbered one above the project's highest rule, in the same statement (the project must exist);
     * no row when another rule took that number at the same time (PostgreSQL), and the work is retried.
     */
    private static final String INSERT = "INSERT INTO protection_rules (" + COLUMNS + ")"
            + " SELECT ?, p.name, COALESCE((SELECT MAX(number) FROM protection_rules r WHERE r.project = p.name), 0) + 1,"
            + " ?, ?, ?, ?, ? FROM projects p WHERE p.name = ?"
            + " ON CONFLICT (project, number) DO NOTHING";

    private final Sql sql;

    JdbcProtectionRules(Sql sql) {
        this.sql = sql;
    }

    ProtectionRule create(ProtectionRule draft) {
        ProtectionRule rule = draft.withMillis();
        return sql.write("create a protection rule", c -> {
            if (!query(c, " WHERE id = ?", rule.id()).isEmpty()) {
                throw new IllegalArgumentException("a protection rule with this ID already exists");
            }
            int inserted = update(
                    c,
                    INSERT,
                    rule.id(),
                    rule.states(),
                    JsonLists.encode(rule.allow(), false),
                    JsonLists.encode(rule.allowTokens(), false),
                    rule.createdBy(),
                    rule.createdAt(),
                    rule.project());
            if (inserted == 0) {
                JdbcCommits.requireProject(c, rule.project());
                throw new Sql.Retry(); // the number was taken concurrently: number it again
            }
            return query(c, " WHERE id = ?", rule.id()).get(0);
        });
    }

    List<ProtectionRule> list(String project) {
        return sql.read("list protection rules", c -> query(c, " WHERE project = ? ORDER BY number", project));
    }

    boolean delete(String project, String id) {
        return sql.write(
                "delete a protection rule",
                c -> update(c, "DELETE FROM protection_rules WHERE project = ? AND id = ?", project, id) == 1);
    }

    private static List<ProtectionRule> query(Connection c, String where, Object... params) throws SQLException {
        List<ProtectionRule> out = new ArrayList<>();
        try (BoundStatement ps = prepare(c, "SELECT " + COLUMNS + " FROM protection_rules" + where, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ProtectionRule(
                        rs.getString("id"),
                        rs.getString("project"),
                        rs.getInt("number"),
                        rs.getString("states"),
                        JsonLists.decode(rs.getString("allow")),
                        JsonLists.decode(rs.getString("allow_tokens")),
                        rs.getString("created_by"),
                        getInstant(rs, "created_at")));
            }
        }
        return out;
    }
}
