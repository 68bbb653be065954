package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.TrustPolicy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The trust-policy part of {@link JdbcAccessStore}: one row per policy, its claims as a JSON object. */
final class JdbcTrustPolicies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS =
            "id, project, name, issuer, claims, permission, states, created_by, created_at";

    /** Inserts the policy if its project exists and its name is free there: no row otherwise. */
    private static final String INSERT = "INSERT INTO trust_policies (" + COLUMNS + ")"
            + " SELECT ?, name, ?, ?, ?, ?, ?, ?, ? FROM projects WHERE name = ?"
            + " ON CONFLICT (project, name) DO NOTHING";

    private final Sql sql;

    JdbcTrustPolicies(Sql sql) {
        this.sql = sql;
    }

    boolean create(TrustPolicy policy) {
        return sql.write("create a trust policy", c -> {
            if (!query(c, " WHERE id = ?", policy.id()).isEmpty()) {
                throw new IllegalArgumentException("a trust policy with this ID already exists");
            }
            int inserted = update(
                    c,
                    INSERT,
                    policy.id(),
                    policy.name(),
                    policy.issuer(),
                    json(policy.claims()),
                    policy.permission().name(),
                    policy.states(),
                    policy.createdBy(),
                    JdbcAccessStore.millis(policy.createdAt()),
                    policy.project());
            if (inserted == 0) {
                JdbcCommits.requireProject(c, policy.project());
                return false;
            }
            return true;
        });
    }

    Optional<TrustPolicy> find(String project, String id) {
        return sql.read("find a trust policy", c -> query(c, " WHERE project = ? AND id = ?", project, id).stream()
                .findFirst());
    }

    /** By name; sorted here so that names order as String does on every database. */
    List<TrustPolicy> list(String project) {
        List<TrustPolicy> policies =
                new ArrayList<>(sql.read("list trust policies", c -> query(c, " WHERE project = ?", project)));
        policies.sort(Comparator.comparing(TrustPolicy::name));
        return List.copyOf(policies);
    }

    boolean delete(String project, String id) {
        return sql.write(
                "delete a trust policy",
                c -> update(c, "DELETE FROM trust_policies WHERE project = ? AND id = ?", project, id) == 1);
    }

    private static List<TrustPolicy> query(Connection c, String where, Object... params) throws SQLException {
        List<TrustPolicy> out = new ArrayList<>();
        try (BoundStatement ps = prepare(c, "SELECT " + COLUMNS + " FROM trust_policies" + where, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TrustPolicy(
                        rs.getString("id"),
                        rs.getString("project"),
                        rs.getString("name"),
                        rs.getString("issuer"),
                        claims(rs.getString("claims")),
                        Permission.valueOf(rs.getString("permission")),
                        rs.getString("states"),
                        rs.getString("created_by"),
                        getInstant(rs, "created_at")));
            }
        }
        return out;
    }

    private static String json(Map<String, String> claims) {
        try {
            return JSON.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims are not serializable", e);
        }
    }

    private static Map<String, String> claims(String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("a stored trust policy's claims are not a JSON object", e);
        }
    }
}
