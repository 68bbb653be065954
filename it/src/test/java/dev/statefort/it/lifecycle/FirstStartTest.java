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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue points 4, 5 and 9 as seen from outside: what a first start leaves behind, and the health endpoints. */
class FirstStartTest {
    private static final Pattern TOKEN = Pattern.compile("sft_[a-z0-9]+_[0-9a-f]{64}");

    @TempDir
    Path serverDir;

    StatefortProcess server;

    @BeforeEach
    void startServer() {
        server = StatefortProcess.start(serverDir, "FirstStartTest");
    }

    @AfterEach
    void stopServer() {
        server.stop();
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
    void healthAndReadinessAnswer200WithoutCredentials() {
        StatefortClient anonymous = server.adminClient().anonymous();

        assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
        assertThat(anonymous.get("/readyz").status()).isEqualTo(200);
    }
}
