package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.getInstant;
import static dev.statefort.store.jdbc.Sql.getLong;
import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.model.ConsumerRead;
import dev.statefort.core.model.ConsumerRecord;
import dev.statefort.core.model.DuplicateObject;
import dev.statefort.core.model.FleetState;
import dev.statefort.core.model.IndexedInstance;
import dev.statefort.core.model.ReadScope;
import dev.statefort.core.model.SearchHit;
import dev.statefort.core.model.SearchQuery;
import dev.statefort.core.model.StateIndex;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.spi.SearchTerms;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The FleetStore part of {@link JdbcMetadataStore}: the search index, outputs readers, the overview. */
final class JdbcFleet {
    /** Marks the index as holding the head, only while that version is current and not indexed yet. */
    private static final String CLAIM_INDEX = "UPDATE states SET indexed_version = ?, index_status = ?,"
            + " index_digest = ? WHERE project = ? AND name = ? AND head_version = ?"
            + " AND (indexed_version IS NULL OR indexed_version <> ?)";

    /** {@link #CLAIM_INDEX} when the index already holds the same instances: only the version moves on. */
    private static final String CLAIM_SAME = CLAIM_INDEX + " AND index_digest = ?";

    private static final String INSERT_ENTRY = "INSERT INTO index_entries"
            + " (project, state, address, type, provider, mode, module, fields, owner_key)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String INSERT_TERM =
            "INSERT INTO index_terms (term, project, state, address, field) VALUES (?, ?, ?, ?, ?)";

    private static final String UNINDEXED = "SELECT project, name FROM states WHERE head_version > 0"
            + " AND (indexed_version IS NULL OR indexed_version <> head_version) LIMIT ?";

    private static final String HIT_COLUMNS = "SELECT t.project, t.state, t.address, t.field, e.type, e.fields,"
            + " s.indexed_version FROM index_terms t%s"
            + " JOIN index_entries e ON e.project = t.project AND e.state = t.state AND e.address = t.address"
            + " JOIN states s ON s.project = t.project AND s.name = t.state";

    private static final String ADD_READS = "INSERT INTO state_consumers"
            + " (project, state, reader, via, first_seen, last_seen, reads)"
            + " SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM states WHERE project = ? AND name = ?)"
            + " ON CONFLICT (project, state, reader) DO UPDATE SET"
            + " reads = state_consumers.reads + excluded.reads,"
            + " first_seen = CASE WHEN excluded.first_seen < state_consumers.first_seen"
            + " THEN excluded.first_seen ELSE state_consumers.first_seen END,"
            + " via = CASE WHEN excluded.last_seen >= state_consumers.last_seen"
            + " THEN excluded.via ELSE state_consumers.via END,"
            + " last_seen = CASE WHEN excluded.last_seen > state_consumers.last_seen"
            + " THEN excluded.last_seen ELSE state_consumers.last_seen END";

    private final Sql sql;

    JdbcFleet(Sql sql) {
        this.sql = sql;
    }

    /** Inside a state's deletion: its index and its readers go with it. */
    static void deleteOf(Connection c, StateKey key) throws SQLException {
        update(c, "DELETE FROM index_terms WHERE project = ? AND state = ?", key.project(), key.name());
        update(c, "DELETE FROM index_entries WHERE project = ? AND state = ?", key.project(), key.name());
        update(c, "DELETE FROM state_consumers WHERE project = ? AND state = ?", key.project(), key.name());
    }

    // ---- the index ----------------------------------------------------------------------------

    boolean replaceIndex(StateIndex index) {
        StateKey key = index.key();
        // relaxed: the index is derived; one lost in a power failure is rebuilt from the head
        String digest = index.digest();
        return sql.writeRelaxed("index a state", c -> {
            Object[] claim = {
                index.version(),
                index.status().wireName(),
                digest,
                key.project(),
                key.name(),
                index.version(),
                index.version(),
                digest
            };
            if (update(c, CLAIM_SAME, claim) == 1) {
                return true; // the same instances as before: nothing else to write
            }
            if (update(c, CLAIM_INDEX, java.util.Arrays.copyOf(claim, claim.length - 1)) == 0) {
                return false;
            }
            update(c, "DELETE FROM index_terms WHERE project = ? AND state = ?", key.project(), key.name());
            update(c, "DELETE FROM index_entries WHERE project = ? AND state = ?", key.project(), key.name());
            insert(c, key, index.instances());
            return true;
        });
    }

    private static void insert(Connection c, StateKey key, List<IndexedInstance> instances) throws SQLException {
        if (instances.isEmpty()) {
            return;
        }
        try (PreparedStatement entries = c.prepareStatement(INSERT_ENTRY);
                PreparedStatement terms = c.prepareStatement(INSERT_TERM)) {
            for (IndexedInstance i : instances) {
                entries.setString(1, key.project());
                entries.setString(2, key.name());
                entries.setString(3, i.address());
                entries.setString(4, i.type());
                entries.setString(5, i.provider());
                entries.setString(6, i.mode());
                entries.setString(7, i.module());
                entries.setString(8, encodeFields(i.fields()));
                entries.setString(9, i.ownerKey());
                entries.addBatch();
                for (Map.Entry<String, String> term : SearchTerms.of(i).entrySet()) {
                    terms.setBytes(1, SearchTerms.bytes(term.getKey()));
                    terms.setString(2, key.project());
                    terms.setString(3, key.name());
                    terms.setString(4, i.address());
                    terms.setString(5, term.getValue());
                    terms.addBatch();
                }
            }
            entries.executeBatch();
            terms.executeBatch();
        }
    }

    List<StateKey> findUnindexed(int limit) {
        return sql.read("find states to index", c -> {
            List<StateKey> keys = new ArrayList<>();
            try (BoundStatement ps = prepare(c, UNINDEXED, limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new StateKey(rs.getString(1), rs.getString(2)));
                }
            }
            return keys;
        });
    }

    // ---- search -------------------------------------------------------------------------------

    List<SearchHit> search(SearchQuery query) {
        return sql.read("search the index", c -> {
            Map<String, SearchHit> hits = new LinkedHashMap<>(); // one per instance, the first match
            if (query.text().isEmpty()) {
                collectByType(c, query, hits);
                return List.copyOf(hits.values());
            }
            byte[] prefix = SearchTerms.bytes(query.text());
            collect(c, query, "t.term = ?", List.of(prefix), hits);
            if (hits.size() < query.limit()) {
                collect(c, query, "t.term >= ? AND t.term < ?", List.of(prefix, SearchTerms.upperBound(prefix)), hits);
            }
            return List.copyOf(hits.values());
        });
    }

    private void collect(
            Connection c, SearchQuery query, String termCondition, List<Object> termParams, Map<String, SearchHit> hits)
            throws SQLException {
        List<Object> params = new ArrayList<>(termParams);
        // SQLite would walk a project's whole part of the primary key for "project IN (...)": the terms'
        // own index is the one range that holds every match
        String hint = sql.isSqlite() ? " INDEXED BY index_terms_by_term" : "";
        StringBuilder where = new StringBuilder(String.format(HIT_COLUMNS, hint))
                .append(" WHERE ")
                .append(termCondition);
        if (query.type() != null) {
            where.append(" AND e.type = ?");
            params.add(query.type());
        }
        where.append(scope("t", query.scope(), params));
        // instances match several terms: read a few more rows than the hits wanted
        where.append(" LIMIT ?");
        params.add(query.limit() * 4 + 16);
        try (BoundStatement ps = prepare(c, where.toString(), params.toArray());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next() && hits.size() < query.limit()) {
                StateKey key = new StateKey(rs.getString(1), rs.getString(2));
                String address = rs.getString(3);
                String instance = key + "\u0000" + address;
                if (!hits.containsKey(instance)) {
                    String field = rs.getString(4);
                    String value = field.equals(SearchTerms.ADDRESS)
                            ? address
                            : decodeFields(rs.getString(6)).getOrDefault(field, "");
                    hits.put(instance, new SearchHit(key, rs.getLong(7), address, rs.getString(5), field, value));
                }
            }
        }
    }

    private static void collectByType(Connection c, SearchQuery query, Map<String, SearchHit> hits)
            throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(query.type());
        String text = "SELECT e.project, e.state, e.address, e.type, s.indexed_version FROM index_entries e"
                + " JOIN states s ON s.project = e.project AND s.name = e.state WHERE e.type = ?"
                + scope("e", query.scope(), params) + " LIMIT ?";
        params.add(query.limit());
        try (BoundStatement ps = prepare(c, text, params.toArray());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                StateKey key = new StateKey(rs.getString(1), rs.getString(2));
                hits.put(
                        key + "\u0000" + rs.getString(3),
                        new SearchHit(key, rs.getLong(5), rs.getString(3), rs.getString(4), "type", rs.getString(4)));
            }
        }
    }

    /** {@code AND ...} limiting {@code alias}'s project and state columns to the scope (never empty here). */
    private static String scope(String alias, ReadScope scope, List<Object> params) {
        return scope(alias + ".project", alias + ".state", scope, params);
    }

    /** {@code AND ...} limiting the given project and state-name columns to the scope. */
    private static String scope(String projectColumn, String stateColumn, ReadScope scope, List<Object> params) {
        if (scope.onlyState() != null) {
            params.add(scope.onlyState().project());
            params.add(scope.onlyState().name());
            return " AND " + projectColumn + " = ? AND " + stateColumn + " = ?";
        }
        if (scope.everywhere()) {
            return "";
        }
        StringBuilder in = new StringBuilder(" AND ").append(projectColumn).append(" IN (");
        int n = 0;
        for (String project : scope.projects().stream().sorted().toList()) {
            in.append(n++ == 0 ? "?" : ", ?");
            params.add(project);
        }
        return in.append(')').toString();
    }

    // ---- duplicates ---------------------------------------------------------------------------

    List<DuplicateObject> findDuplicates(ReadScope scope, int limit) {
        return sql.read("find objects managed twice", c -> {
            List<Object> params = new ArrayList<>();
            String inner = "SELECT owner_key FROM index_entries e WHERE owner_key IS NOT NULL"
                    + scope("e", scope, params)
                    + " GROUP BY owner_key HAVING MIN(project || '/' || state) <> MAX(project || '/' || state)"
                    + " ORDER BY owner_key" + sql.byteOrder() + " LIMIT ?";
            params.add(limit);
            String outer = "SELECT e.owner_key, e.type, e.project, e.state, e.address FROM index_entries e"
                    + " WHERE e.owner_key IN (" + inner + ")" + scope("e", scope, params)
                    + " ORDER BY e.owner_key" + sql.byteOrder() + ", e.project" + sql.byteOrder() + ", e.state"
                    + sql.byteOrder() + ", e.address" + sql.byteOrder();
            Map<String, List<DuplicateObject.Owner>> owners = new LinkedHashMap<>();
            Map<String, String> types = new LinkedHashMap<>();
            try (BoundStatement ps = prepare(c, outer, params.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String ownerKey = rs.getString(1);
                    types.putIfAbsent(ownerKey, rs.getString(2));
                    owners.computeIfAbsent(ownerKey, k -> new ArrayList<>())
                            .add(new DuplicateObject.Owner(
                                    new StateKey(rs.getString(3), rs.getString(4)), rs.getString(5)));
                }
            }
            List<DuplicateObject> out = new ArrayList<>();
            owners.forEach((ownerKey, list) -> {
                String type = types.get(ownerKey);
                out.add(new DuplicateObject(type, ownerKey.substring(type.length() + 1), list));
            });
            return out;
        });
    }

    // ---- outputs readers ----------------------------------------------------------------------

    void addConsumerReads(List<ConsumerRead> reads) {
        // relaxed: counts lost in a power failure are an inventory's last seconds, never a change
        sql.writeRelaxed("count outputs reads", c -> {
            for (ConsumerRead r : reads) {
                update(
                        c,
                        ADD_READS,
                        r.key().project(),
                        r.key().name(),
                        r.reader(),
                        r.via(),
                        r.first(),
                        r.last(),
                        r.count(),
                        r.key().project(),
                        r.key().name());
            }
            return null;
        });
    }

    List<ConsumerRecord> listConsumers(StateKey key) {
        return sql.read("list outputs readers", c -> {
            List<ConsumerRecord> out = new ArrayList<>();
            try (BoundStatement ps = prepare(
                            c,
                            "SELECT reader, via, first_seen, last_seen, reads FROM state_consumers"
                                    + " WHERE project = ? AND state = ? ORDER BY last_seen DESC, reader",
                            key.project(),
                            key.name());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ConsumerRecord(
                            key,
                            rs.getString("reader"),
                            rs.getString("via"),
                            getInstant(rs, "first_seen"),
                            getInstant(rs, "last_seen"),
                            rs.getLong("reads")));
                }
            }
            return out;
        });
    }

    // ---- the overview -------------------------------------------------------------------------

    List<FleetState> listFleetStates(ReadScope scope, Instant since) {
        return sql.read("list the fleet", c -> {
            List<Object> params = new ArrayList<>();
            params.add(since);
            params.add(AuditAction.STATE_WRITE_REFUSED.wireName());
            params.add(since);
            String text = "SELECT s.project, s.name AS state, s.head_version, s.lock_principal, s.lock_acquired_at,"
                    + " s.plan_locks, s.index_status, s.indexed_version, v.size, v.resource_count, v.created_at,"
                    + " v.terraform_version, w.n AS recent, g.n AS refusals FROM states s"
                    + " LEFT JOIN versions v ON v.project = s.project AND v.state = s.name AND v.number = s.head_version"
                    + " LEFT JOIN (SELECT project, state, COUNT(*) AS n FROM versions WHERE created_at >= ?"
                    + " GROUP BY project, state) w ON w.project = s.project AND w.state = s.name"
                    + " LEFT JOIN (SELECT project, state, COUNT(*) AS n FROM audit_events WHERE action = ?"
                    + " AND at >= ? GROUP BY project, state) g ON g.project = s.project AND g.state = s.name"
                    + " WHERE 1 = 1" + scope("s.project", "s.name", scope, params)
                    + " ORDER BY s.project" + sql.byteOrder() + ", s.name" + sql.byteOrder();
            List<FleetState> out = new ArrayList<>();
            try (BoundStatement ps = prepare(c, text, params.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long head = rs.getLong("head_version");
                    Long indexed = getLong(rs, "indexed_version");
                    String status = rs.getString("index_status");
                    Long resources = getLong(rs, "resource_count");
                    Long recent = getLong(rs, "recent");
                    Long refusals = getLong(rs, "refusals");
                    out.add(new FleetState(
                            new StateKey(rs.getString("project"), rs.getString("state")),
                            head,
                            rs.getLong("size"),
                            resources == null ? null : resources.intValue(),
                            getInstant(rs, "created_at"),
                            recent == null ? 0 : recent,
                            rs.getString("lock_principal"),
                            getInstant(rs, "lock_acquired_at"),
                            rs.getInt("plan_locks"),
                            rs.getString("terraform_version"),
                            refusals == null ? 0 : refusals,
                            head == 0 ? "empty" : indexed != null && indexed == head ? status : "pending"));
                }
            }
            return out;
        });
    }

    // ---- fields -------------------------------------------------------------------------------

    /** Identifying values as a JSON array of names and values, alternating. */
    static String encodeFields(Map<String, String> fields) {
        List<String> flat = new ArrayList<>(fields.size() * 2);
        fields.forEach((k, v) -> {
            flat.add(k);
            flat.add(v);
        });
        return JsonLists.encode(flat, false);
    }

    static Map<String, String> decodeFields(String json) {
        List<String> flat = JsonLists.decode(json);
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(flat.get(i), flat.get(i + 1));
        }
        return fields;
    }
}
