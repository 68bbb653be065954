package dev.statefort.it.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol page section 2, rule 8: a body over {@code --max-state-size} answers 413 naming the limit. */
class StateSizeLimitTest {
    static final int LIMIT = 4000;

    @TempDir
    static Path serverDir;

    static StatefortProcess server;
    static StatefortClient admin;

    @BeforeAll
    static void startServerWithSmallLimit() {
        server = StatefortProcess.start(serverDir, "StateSizeLimitTest", "--max-state-size", Integer.toString(LIMIT));
        admin = server.adminClient();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void bodyLargerThanTheLimitAnswers413NamingTheLimitAndKeepsThePreviousState() {
        String state = StatefortClient.statePath("default", "too-big");
        byte[] before = Fixtures.terraformState(1, Fixtures.newLockId(), "small");
        assertThat(admin.write(state, before, null).status()).isEqualTo(200);

        Response refused = admin.write(state, objectOfSize(LIMIT + 1), null);

        assertThat(refused.status()).as("%s", refused).isEqualTo(413);
        assertThat(refused.text()).as("413 message names the limit").contains(Integer.toString(LIMIT));
        assertThat(admin.get(state).body()).isEqualTo(before);
    }

    @Test
    void bodyFarLargerThanTheLimitStillGetsA413RatherThanABrokenConnection() {
        // The server may answer before reading the whole body; the client must still see the 413.
        String state = StatefortClient.statePath("default", "far-too-big");
        byte[] body = objectOfSize(8 * 1024 * 1024);

        Response refused = admin.write(state, body, null);

        assertThat(refused.status()).as("%s", refused).isEqualTo(413);
        assertThat(refused.text()).contains(Integer.toString(LIMIT));
        assertNoStateStored(state);
    }

    @Test
    void chunkedBodyLargerThanTheLimitAnswers413() {
        String state = StatefortClient.statePath("default", "too-big-chunked");
        byte[] body = objectOfSize(LIMIT * 3);

        Response refused = admin.sendChunked("POST", state, body, "Content-Type", "application/json");

        assertThat(refused.status()).as("%s", refused).isEqualTo(413);
        assertThat(refused.text()).contains(Integer.toString(LIMIT));
        assertNoStateStored(state);
    }

    @Test
    void bodyOfExactlyTheLimitIsAccepted() {
        String state = StatefortClient.statePath("default", "at-limit");
        byte[] body = objectOfSize(LIMIT);

        Response written = admin.write(state, body, null);

        assertThat(written.status()).as("%s", written).isEqualTo(200);
        assertThat(admin.get(state).body()).isEqualTo(body);
    }

    private static void assertNoStateStored(String state) {
        Response read = admin.get(state);
        assertThat(read.status() == 404 || read.status() == 204 || read.body().length == 0)
                .as("%s", read)
                .isTrue();
    }

    /** A JSON object of exactly {@code size} bytes. */
    static byte[] objectOfSize(int size) {
        String prefix = "{\"padding\":\"";
        String suffix = "\"}";
        return (prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix)
                .getBytes(StandardCharsets.UTF_8);
    }
}
