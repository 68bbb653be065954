package dev.statefort.store.jdbc;

import static dev.statefort.store.jdbc.Sql.prepare;
import static dev.statefort.store.jdbc.Sql.update;

import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.StateStore;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reading versions and re-pointing their blobs: the version part of {@link JdbcMetadataStore}. */
final class JdbcVersions {
    private static final String SELECT_VERSIONS = "SELECT " + Rows.VERSION_COLUMNS + " FROM versions v";

    /** Compare-and-set on one version's blob key: one conditional UPDATE. */
    private static final String REPLACE_BLOB =
            "UPDATE versions SET blob_key = ?" + " WHERE project = ? AND state = ? AND number = ? AND blob_key = ?";

    private final Sql sql;

    /** Versions of a project by state name (byte order = String order for names), then number. */
    private final String selectProjectVersions;

    private final String selectProjectVersionsAfter;

    JdbcVersions(Sql sql) {
        this.sql = sql;
        String byteOrder = sql.byteOrder();
        String select = "SELECT v.state AS v_state, " + Rows.VERSION_COLUMNS + " FROM versions v WHERE v.project = ?";
        String orderBy = " ORDER BY v.state" + byteOrder + ", v.number LIMIT ?";
        this.selectProjectVersions = select + orderBy;
        this.selectProjectVersionsAfter =
                select + " AND (v.state" + byteOrder + " > ?" + " OR (v.state = ? AND v.number > ?))" + orderBy;
    }

    Optional<VersionRecord> head(StateKey key) {
        List<VersionRecord> top =
                query("read the head version", key, " ORDER BY v.number DESC LIMIT 1", key.project(), key.name());
        return top.stream().findFirst();
    }

    Optional<VersionRecord> find(StateKey key, long number) {
        return query("find a version", key, " AND v.number = ?", key.project(), key.name(), number).stream()
                .findFirst();
    }

    Page<VersionRecord> list(StateKey key, PageRequest page) {
        int fetch = page.limit() + 1;
        List<VersionRecord> rows = page.before() == null
                ? query("list versions", key, " ORDER BY v.number DESC LIMIT ?", key.project(), key.name(), fetch)
                : query(
                        "list versions",
                        key,
                        " AND v.number < ? ORDER BY v.number DESC LIMIT ?",
                        key.project(),
                        key.name(),
                        page.before(),
                        fetch);
        if (rows.size() <= page.limit()) {
            return new Page<>(rows, null);
        }
        List<VersionRecord> items = rows.subList(0, page.limit());
        return new Page<>(items, items.getLast().number());
    }

    private List<VersionRecord> query(String operation, StateKey key, String tail, Object... params) {
        return sql.read(operation, c -> {
            List<VersionRecord> out = new ArrayList<>();
            try (BoundStatement ps =
                            prepare(c, SELECT_VERSIONS + " WHERE v.project = ? AND v.state = ?" + tail, params);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.version(key, rs));
                }
            }
            return out;
        });
    }

    List<VersionRecord> listOfProject(String project, String afterState, Long afterNumber, int limit) {
        Objects.requireNonNull(project, "project");
        StateStore.checkProjectVersionsPage(afterState, afterNumber, limit);
        return sql.read("list the versions of a project", c -> {
            List<VersionRecord> out = new ArrayList<>();
            try (BoundStatement ps = afterState == null
                            ? prepare(c, selectProjectVersions, project, limit)
                            : prepare(
                                    c,
                                    selectProjectVersionsAfter,
                                    project,
                                    afterState,
                                    afterState,
                                    afterNumber,
                                    limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.version(new StateKey(project, rs.getString("v_state")), rs));
                }
            }
            return List.copyOf(out);
        });
    }

    boolean replaceBlob(StateKey key, long number, String expectedBlobKey, String newBlobKey) {
        Objects.requireNonNull(expectedBlobKey, "expectedBlobKey");
        Objects.requireNonNull(newBlobKey, "newBlobKey");
        return sql.write(
                "replace the blob of a version",
                c -> update(c, REPLACE_BLOB, newBlobKey, key.project(), key.name(), number, expectedBlobKey) == 1);
    }
}
