package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.core.model.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's server-level test classes: one node over the in-memory stores for the class, a global
 * admin token ({@link #admin}), a {@link UiClient} whose users get the class's password, and two
 * members of project {@code default}: {@code alice} (admin) and {@code victor} (viewer). A
 * subclass's own {@code @BeforeAll} runs after this one's and adds its data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UiServerTest {
    @TempDir
    static Path dataDir;

    private final String password;
    TestServer server;
    UiClient ui;
    /** A global admin token. */
    String admin;

    UiServerTest(String password) {
        this.password = password;
    }

    @BeforeAll
    final void startServer() throws Exception {
        server = TestServer.inMemory(dataDir);
        ui = new UiClient(server, password);
        admin = server.token(null, Permission.ADMIN);
        ui.member("alice", Role.ADMIN);
        ui.member("victor", Role.VIEWER);
    }

    @AfterAll
    final void stopServer() throws Exception {
        server.close();
    }

    /** A Terraform write of {@code body} to {@code /tf/default/<state>} by the admin token, which must be accepted. */
    void written(String state, String body) {
        TestServer.Response r = server.send("POST", "/tf/default/" + state, body, admin);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }
}
