package dev.statefort.server.http.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.testing.TestClock;
import dev.statefort.server.http.TestServer;
import dev.statefort.server.http.TestServer.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on the real stores (SQLite file and file-system blobs in a temporary directory, encryption
 * on) with a hand-moved clock, an admin, a writer and a reader of project {@code default}.
 */
abstract class HistoryApiFixture {
    static final String API = "/api/v1/projects/default";

    @TempDir
    Path tmp;

    final TestClock clock = new TestClock();
    TestServer server;
    String admin;
    String writer;
    String reader;

    @BeforeEach
    void startNode() throws Exception {
        server = TestServer.start(tmp.resolve("data"), clock);
        admin = server.token("default", Permission.ADMIN);
        writer = server.token("default", Permission.WRITE);
        reader = server.token("default", Permission.READ);
    }

    @AfterEach
    void stopNode() throws Exception {
        server.close();
    }

    /** A Terraform write (POST /tf/...) by the writer, without a lock ID. */
    Response write(String state, String body) {
        return server.send("POST", "/tf/default/" + state, body, writer);
    }

    /** A Terraform write under lock {@code lockId}. */
    Response write(String state, String body, String lockId) {
        return server.send("POST", "/tf/default/" + state + "?ID=" + enc(lockId), body, writer);
    }

    /** A write that must be accepted. */
    void written(String state, String body) {
        assertThat(write(state, body).status()).isEqualTo(200);
    }

    Response lock(String state, String lockId, String token) {
        return server.send("LOCK", "/tf/default/" + state, lockInfo(lockId), token);
    }

    Response unlock(String state, String lockId) {
        return server.send("UNLOCK", "/tf/default/" + state, lockInfo(lockId), writer);
    }

    static String lockInfo(String lockId) {
        return "{\"ID\":\"" + lockId + "\",\"Operation\":\"OperationTypeApply\",\"Info\":\"\","
                + "\"Who\":\"alice@laptop\",\"Version\":\"1.11.4\",\"Created\":\"2026-03-01T10:00:00Z\",\"Path\":\"\"}";
    }

    Response get(String path, String token) {
        return server.send("GET", API + path, null, token);
    }

    /** GET as admin, expecting 200, as JSON. */
    JsonNode getJson(String path) {
        Response r = get(path, admin);
        assertThat(r.status()).as("GET %s: %s", path, r).isEqualTo(200);
        return r.json();
    }

    Response post(String path, String body, String token) {
        return server.send("POST", API + path, body, token);
    }

    Response delete(String path, String token) {
        return server.send("DELETE", API + path, null, token);
    }

    Response putSettings(String json) {
        return server.send("PUT", API + "/settings", json, admin);
    }

    void settings(String json) {
        Response r = putSettings(json);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Version numbers of a state, newest first (one page). */
    List<Long> versionNumbers(String state) {
        List<Long> numbers = new ArrayList<>();
        getJson("/states/" + state + "/versions?limit=1000")
                .path("items")
                .forEach(v -> numbers.add(v.path("number").asLong()));
        return numbers;
    }

    VersionRecord record(String state, long number) {
        return server.node()
                .metadata()
                .findVersion(new StateKey("default", state), number)
                .orElseThrow();
    }

    /** Audit events of project {@code default} with this action, newest first. */
    List<JsonNode> audit(String action) {
        List<JsonNode> events = new ArrayList<>();
        server.send("GET", "/api/v1/audit?project=default&action=" + enc(action), null, admin)
                .json()
                .path("items")
                .forEach(events::add);
        return events;
    }

    /** The serial of the current content of a state as Terraform reads it. */
    long currentSerial(String state) {
        return server.send("GET", "/tf/default/" + state, null, reader)
                .json()
                .path("serial")
                .asLong();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
