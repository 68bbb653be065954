package dev.statefort.it.durability;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.RawHttp;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 7: the server runs as a child process and is killed with SIGKILL; what was answered 200 must be there
 * after a restart on the same data dir, a write cut off mid-body must leave the previous version current, and locks
 * survive restarts (protocol rule 9).
 */
class DurabilityTest {
    static final String PROJECT = "default";

    @TempDir
    static Path serverDir;

    static StatefortProcess server;
    static StatefortClient client;

    /** One node for the class: each test works on states of its own and kills and restarts the node as it needs. */
    @BeforeAll
    static void startServer() {
        server = StatefortProcess.start(serverDir, "DurabilityTest");
    }

    @BeforeEach
    void connect() {
        if (!server.isAlive()) {
            server.restart(); // a test that failed between a kill and its restart left it down
        }
        client = server.adminClient();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.kill9();
        }
    }

    private void kill9AndRestart() {
        server.kill9();
        assertThat(server.isAlive()).isFalse();
        server.restart();
        client = server.adminClient();
    }

    @Test
    void writeAnswered200SurvivesKill9RightAfter() {
        String name = "survives-kill";
        String state = StatefortClient.statePath(PROJECT, name);
        String lineage = newLockId();
        byte[] v1 = Fixtures.terraformState(1, lineage, "first");
        byte[] v2 = bigState(2, lineage, 1_500_000);
        assertThat(client.write(state, v1, null).status()).isEqualTo(200);
        Response written = client.write(state, v2, null);
        assertThat(written.status()).as("%s", written).isEqualTo(200);

        kill9AndRestart();

        assertThat(client.get(state).body()).isEqualTo(v2);
        JsonNode items = client.versions(PROJECT, name).path("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).path("number").asLong()).isEqualTo(2);
        assertThat(items.get(0).path("sha256").asText()).isEqualToIgnoringCase(StatefortClient.sha256Hex(v2));
        assertThat(client.versionContent(PROJECT, name, 1)).isEqualTo(v1);
        assertThat(client.versionContent(PROJECT, name, 2)).isEqualTo(v2);
    }

    @Test
    void everyAcknowledgedWriteSurvivesRepeatedKill9() {
        String name = "repeated-kills";
        String state = StatefortClient.statePath(PROJECT, name);
        String lineage = newLockId();
        int rounds = 3;
        for (int round = 1; round <= rounds; round++) {
            byte[] body = Fixtures.terraformState(round, lineage, "round-" + round);
            assertThat(client.write(state, body, null).status()).isEqualTo(200);

            kill9AndRestart();

            assertThat(client.get(state).body()).isEqualTo(body);
            assertThat(client.versions(PROJECT, name).path("items")).hasSize(round);
        }
        // The token file and the project survive as well: a fresh token can still be made and used.
        String token = server.createToken(PROJECT, "write", "after-kills");
        assertThat(server.client(token).get(state).status()).isEqualTo(200);
    }

    @Test
    void kill9DuringConcurrentWritesKeepsEveryAcknowledgedWriteAndOnlyWholeVersions() throws Exception {
        String name = "kill-under-load";
        String state = StatefortClient.statePath(PROJECT, name);
        String lineage = newLockId();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger acks = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        StatefortClient loadClient = client;
        for (int t = 0; t < 4; t++) {
            int thread = t;
            writers.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    byte[] body = Fixtures.terraformState(thread * 1000L + i, lineage, "t" + thread + "-" + i);
                    try {
                        if (loadClient.write(state, body, null).status() == 200) {
                            acknowledged.add(StatefortClient.sha256Hex(body));
                            acks.incrementAndGet();
                        }
                    } catch (RuntimeException | AssertionError e) {
                        return; // the server is gone
                    }
                }
            });
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (acks.get() < 40 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(acks.get()).as("writes acknowledged before the kill").isGreaterThanOrEqualTo(40);

        server.kill9();
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        server.restart();
        client = server.adminClient();

        JsonNode items = client.getJson("/api/v1/projects/" + PROJECT + "/states/" + name + "/versions?limit=1000")
                .path("items");
        int count = items.size();
        assertThat(count).isGreaterThanOrEqualTo(acknowledged.size());
        Set<String> listed = new HashSet<>();
        for (int i = 0; i < count; i++) {
            JsonNode item = items.get(i);
            assertThat(item.path("number").asLong())
                    .as("consecutive, newest first")
                    .isEqualTo(count - i);
            byte[] content =
                    client.versionContent(PROJECT, name, item.path("number").asLong());
            assertThat(StatefortClient.sha256Hex(content))
                    .as("version %s is whole", item.path("number"))
                    .isEqualToIgnoringCase(item.path("sha256").asText());
            listed.add(item.path("sha256").asText().toLowerCase());
        }
        assertThat(listed).as("every write answered 200 survived").containsAll(acknowledged);
        assertThat(client.get(state).body()).isEqualTo(client.versionContent(PROJECT, name, count));
    }

    @Test
    void writeCutOffMidBodyLeavesThePreviousVersionCurrent() {
        String name = "cut-off";
        String state = StatefortClient.statePath(PROJECT, name);
        String lineage = newLockId();
        byte[] v1 = Fixtures.terraformState(1, lineage, "complete");
        assertThat(client.write(state, v1, null).status()).isEqualTo(200);
        byte[] v2 = bigState(2, lineage, 200_000);
        byte[] firstPart = Arrays.copyOf(v2, v2.length / 2);

        String answer = new RawHttp(server.port())
                .sendTruncated(
                        "POST " + state + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer "
                                + server.adminToken() + "\r\nContent-Type: application/json\r\nContent-Length: "
                                + v2.length + "\r\n\r\n",
                        firstPart);

        assertThat(answer).as("a cut-off write is never acknowledged").doesNotStartWith("HTTP/1.1 200");
        assertOnlyVersion1(name, state, v1);
        kill9AndRestart();
        assertOnlyVersion1(name, state, v1);
    }

    @Test
    void chunkedWriteCutOffBeforeTheLastChunkLeavesThePreviousVersionCurrent() {
        String name = "cut-off-chunked";
        String state = StatefortClient.statePath(PROJECT, name);
        String lineage = newLockId();
        byte[] v1 = Fixtures.terraformState(1, lineage, "complete");
        assertThat(client.write(state, v1, null).status()).isEqualTo(200);
        // A complete JSON object in the chunks sent, but no terminating zero-length chunk.
        byte[] v2 = Fixtures.terraformState(2, lineage, "never-finished");
        byte[] chunk = (Integer.toHexString(v2.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[chunk.length + v2.length + 2];
        System.arraycopy(chunk, 0, body, 0, chunk.length);
        System.arraycopy(v2, 0, body, chunk.length, v2.length);
        body[body.length - 2] = '\r';
        body[body.length - 1] = '\n';

        String answer = new RawHttp(server.port())
                .sendTruncated(
                        "POST " + state + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer "
                                + server.adminToken() + "\r\nContent-Type: application/json\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n",
                        body);

        assertThat(answer).as("a cut-off write is never acknowledged").doesNotStartWith("HTTP/1.1 200");
        assertOnlyVersion1(name, state, v1);
        kill9AndRestart();
        assertOnlyVersion1(name, state, v1);
    }

    @Test
    void serverKilledWhileReceivingAWriteKeepsThePreviousVersionCurrent() throws Exception {
        String name = "killed-mid-upload";
        String state = StatefortClient.statePath(PROJECT, name);
        String lineage = newLockId();
        byte[] v1 = Fixtures.terraformState(1, lineage, "complete");
        assertThat(client.write(state, v1, null).status()).isEqualTo(200);
        byte[] v2 = bigState(2, lineage, 8_000_000);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + state + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer "
                            + server.adminToken() + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + v2.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(v2, 0, v2.length / 2);
            out.flush();

            kill9AndRestart();
        }

        assertOnlyVersion1(name, state, v1);
        byte[] v3 = Fixtures.terraformState(3, lineage, "after");
        assertThat(client.write(state, v3, null).status()).isEqualTo(200);
        assertThat(client.versions(PROJECT, name)
                        .path("items")
                        .get(0)
                        .path("number")
                        .asLong())
                .isEqualTo(2);
        assertThat(client.get(state).body()).isEqualTo(v3);
    }

    @Test
    void lockTakenBeforeKill9IsStillHeldAfterRestart() {
        String state = StatefortClient.statePath(PROJECT, "lock-survives");
        String holderId = newLockId();
        byte[] holder = lockInfo(holderId);
        assertThat(client.send("LOCK", state, holder).status()).isEqualTo(200);

        kill9AndRestart();

        Response refused = client.send("LOCK", state, lockInfo(newLockId()));
        assertThat(refused.status()).as("%s", refused).isEqualTo(423);
        assertThat(refused.body()).isEqualTo(holder);
        Response refusedWrite = client.write(state, Fixtures.terraformState(1, newLockId(), "x"), null);
        assertThat(refusedWrite.status()).as("%s", refusedWrite).isEqualTo(423);
        // The holder's run can still finish after the restart: write with its ID, then unlock.
        byte[] body = Fixtures.terraformState(1, newLockId(), "after-restart");
        assertThat(client.write(state, body, holderId).status()).isEqualTo(200);
        assertThat(client.send("UNLOCK", state, holder).status()).isEqualTo(200);
        assertThat(client.send("LOCK", state, lockInfo(newLockId())).status()).isEqualTo(200);
        assertThat(client.get(state).body()).isEqualTo(body);
    }

    @Test
    void lockSurvivesGracefulRestartAndForceUnlockStillWorks() {
        String state = StatefortClient.statePath(PROJECT, "lock-graceful");
        byte[] holder = lockInfo(newLockId());
        assertThat(client.send("POST", state + "/lock", holder).status()).isEqualTo(200);

        server.stop();
        server.restart();

        Response refused = client.send("POST", state + "/lock", lockInfo(newLockId()));
        assertThat(refused.status()).as("%s", refused).isEqualTo(423);
        assertThat(refused.body()).isEqualTo(holder);
        assertThat(client.sendChunked("DELETE", state + "/lock", new byte[0]).status())
                .isEqualTo(200);
        assertThat(client.send("POST", state + "/lock", lockInfo(newLockId())).status())
                .isEqualTo(200);
    }

    private void assertOnlyVersion1(String name, String state, byte[] v1) {
        assertThat(client.get(state).body()).isEqualTo(v1);
        JsonNode items = client.versions(PROJECT, name).path("items");
        assertThat(items).as("%s", items).hasSize(1);
        assertThat(items.get(0).path("number").asLong()).isEqualTo(1);
    }

    /** A readable Terraform state padded to about {@code size} bytes with an output value. */
    static byte[] bigState(long serial, String lineage, int size) {
        String head = "{\n  \"version\": 4,\n  \"terraform_version\": \"1.11.4\",\n  \"serial\": " + serial
                + ",\n  \"lineage\": \"" + lineage + "\",\n  \"outputs\": {\n    \"blob\": {\n      \"value\": \"";
        String tail =
                "\",\n      \"type\": \"string\"\n    }\n  },\n  \"resources\": [],\n  \"check_results\": null\n}\n";
        StringBuilder filler = new StringBuilder(size);
        for (int i = 0; filler.length() < size - head.length() - tail.length(); i++) {
            filler.append(Integer.toString(i, 36)).append('.');
        }
        return (head + filler + tail).getBytes(StandardCharsets.UTF_8);
    }
}
