package dev.statefort.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue points 4, 5 and 9 (and issue 5's admin user) as seen from outside: what a first start leaves behind, and the
 * health endpoints.
 */
class FirstStartTest {
    private static final Pattern TOKEN = Pattern.compile("sft_[a-z0-9]+_[0-9a-f]{64}");

    @TempDir
    static Path serverDir;

    /**
     * One first start for the class: each test looks at what it left behind; the two restart tests stop and restart
     * it (its stdout file keeps every run's output, so "printed once" counts over all of them).
     */
    static StatefortProcess server;

    @BeforeAll
    static void startServer() {
        server = StatefortProcess.start(serverDir, "FirstStartTest");
    }

    @BeforeEach
    void running() {
        if (!server.isAlive()) {
            server.restart(); // a restart test that failed half-way left it down
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void firstStartWritesTheAdminTokenToAFileOnlyItsOwnerCanRead() throws IOException {
        Path file = server.dataDir().resolve("initial-admin-token");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(server.adminToken()).matches(TOKEN);
        assertThat(Files.readString(file).strip()).isEqualTo(server.adminToken());
        assertThat(server.stdoutText()).contains(server.adminToken()).contains(server.baseUrl());
    }

    @Test
    void firstStartCreatesTheDefaultProjectAndTheTokenIsAGlobalAdmin() {
        StatefortClient admin = server.adminClient();

        assertThat(admin.getJson("/api/v1/projects").toString()).contains("\"default\"");
        Response created = admin.send(
                "POST", "/api/v1/projects", "{\"name\":\"second\"}".getBytes(), "Content-Type", "application/json");
        assertThat(created.status()).as("%s", created).isIn(200, 201);
        String state = StatefortClient.statePath("second", "net");
        assertThat(admin.write(state, Fixtures.terraformState(1, Fixtures.newLockId(), "x"), null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void restartKeepsTheAdminTokenAndNeverPrintsItAgain() {
        String token = server.adminToken();

        server.stop();
        server.restart();

        assertThat(server.adminToken()).isEqualTo(token);
        assertThat(server.adminClient().get("/api/v1/projects").status()).isEqualTo(200);
        Matcher printed = Pattern.compile(Pattern.quote(token)).matcher(server.stdoutText());
        int times = 0;
        while (printed.find()) {
            times++;
        }
        assertThat(times)
                .as("the token is printed once, on the first start only")
                .isEqualTo(1);
    }

    @Test
    void firstStartWritesTheAdminPasswordToAFileOnlyItsOwnerCanReadAndItLogsIn() throws IOException {
        Path file = server.dataDir().resolve("initial-admin-password");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String password = Files.readString(file).strip();
        assertThat(password).isNotBlank().doesNotContainAnyWhitespaces();
        assertThat(occurrences(server.stdoutText(), password))
                .as("the password is printed on the first start")
                .isEqualTo(1);

        Response login = login("admin", password);

        assertThat(login.status()).as("%s", login).isEqualTo(200);
        String cookie = login.header("Set-Cookie");
        assertThat(cookie).as("%s", login).isNotNull().startsWith("statefort_session=");
        assertThat(cookie.toLowerCase(java.util.Locale.ROOT)).contains("httponly");
        assertThat(login.json().path("user").asText()).isEqualTo("admin");
        assertThat(login.json().path("globalAdmin").asBoolean()).isTrue();
        assertThat(login.json().path("csrfToken").asText()).isNotBlank();
        Response session = server.adminClient()
                .anonymous()
                .send("GET", "/api/v1/session", (byte[]) null, "Cookie", cookie.split(";", 2)[0]);
        assertThat(session.status())
                .as("the cookie is a live session: %s", session)
                .isEqualTo(200);
        assertThat(session.json().path("user").asText()).isEqualTo("admin");
        Response wrong = login("admin", password + "x");
        assertThat(wrong.status()).as("%s", wrong).isEqualTo(401);
        assertThat(wrong.header("Set-Cookie")).isNull();
    }

    @Test
    void restartKeepsTheAdminPasswordAndNeverPrintsItAgain() throws IOException {
        String password = Files.readString(server.dataDir().resolve("initial-admin-password"))
                .strip();

        server.stop();
        server.restart();

        assertThat(Files.readString(server.dataDir().resolve("initial-admin-password"))
                        .strip())
                .isEqualTo(password);
        assertThat(occurrences(server.stdoutText(), password))
                .as("the password is printed once, on the first start only")
                .isEqualTo(1);
        Response login = login("admin", password);
        assertThat(login.status()).as("%s", login).isEqualTo(200);
    }

    private Response login(String user, String password) {
        String body = StatefortClient.JSON
                .createObjectNode()
                .put("username", user)
                .put("password", password)
                .toString();
        return server.adminClient()
                .anonymous()
                .send(
                        "POST",
                        "/api/v1/session",
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "Content-Type",
                        "application/json");
    }

    private static int occurrences(String text, String secret) {
        Matcher printed = Pattern.compile(Pattern.quote(secret)).matcher(text);
        int times = 0;
        while (printed.find()) {
            times++;
        }
        return times;
    }

    @Test
    void healthAndReadinessAnswer200WithoutCredentials() {
        StatefortClient anonymous = server.adminClient().anonymous();

        assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
        assertThat(anonymous.get("/readyz").status()).isEqualTo(200);
    }
}
