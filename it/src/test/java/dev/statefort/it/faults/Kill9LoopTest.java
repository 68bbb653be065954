package dev.statefort.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 5, kill -9 in a loop: in each round writers keep writing, the server gets SIGKILL
 * at a random moment, restarts on the same data directory, and is checked: every acknowledged write
 * is there byte for byte, each current version is a whole state (no torn write), and the locks are
 * as they were (one held throughout, the written states never locked). 30 rounds here
 * ({@code -Dstatefort.kill9.rounds=N} for more; {@code bench/faults/kill9-loop.sh} runs 100).
 */
class Kill9LoopTest {
    private static final int ROUNDS = Integer.getInteger("statefort.kill9.rounds", 30);
    private static final int WRITERS = 3;
    private static final String HELD = "/tf/default/held";
    private static final String HELD_LOCK =
            "{\"ID\":\"held-through-every-kill\",\"Operation\":\"OperationTypeApply\"," + "\"Who\":\"kill9@loop\"}";

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedWriteAndEveryLockSurvivesEachKill() throws Exception {
        StatefortProcess server = StatefortProcess.start(tmp, "Kill9LoopTest");
        try {
            StatefortClient client = server.adminClient();
            // keep every version: retention would prune acknowledged ones over many rounds
            assertThat(client.send(
                                    "PATCH",
                                    "/api/v1/projects/default/settings",
                                    "{\"keepDays\":30}".getBytes(StandardCharsets.UTF_8),
                                    "Content-Type",
                                    "application/json")
                            .status())
                    .isEqualTo(200);
            assertThat(client.send("LOCK", HELD, HELD_LOCK.getBytes(StandardCharsets.UTF_8))
                            .status())
                    .isEqualTo(200);
            Map<Integer, List<String>> acked = new ConcurrentHashMap<>();
            AtomicLong[] serials = new AtomicLong[WRITERS];
            for (int w = 0; w < WRITERS; w++) {
                acked.put(w, java.util.Collections.synchronizedList(new ArrayList<>()));
                serials[w] = new AtomicLong();
            }
            Random random = new Random(16);
            long writesBefore = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                StatefortClient writerClient = server.adminClient();
                AtomicBoolean killed = new AtomicBoolean();
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < 1_000 && !killed.get(); i++) {
                            long serial = serials[writer].incrementAndGet();
                            String body = "{\"version\":4,\"serial\":" + serial + ",\"lineage\":\"k" + writer
                                    + "\",\"outputs\":{\"pad\":{\"value\":\"" + "p".repeat((int) (serial % 5000))
                                    + "\"}}}";
                            try {
                                Response r = writerClient.sendUnchecked(
                                        "POST", "/tf/default/k" + writer, body.getBytes(StandardCharsets.UTF_8));
                                if (r.status() == 200) {
                                    acked.get(writer).add(body);
                                }
                            } catch (RuntimeException cut) {
                                // the server died under this request: it was never acknowledged
                            }
                        }
                    }));
                }
                // kill at a random moment once this round has had a few writes acknowledged (waits at most 10 s)
                for (int wait = 0;
                        wait < 200
                                && acked.values().stream().mapToLong(List::size).sum() < writesBefore + WRITERS;
                        wait++) {
                    Thread.sleep(50);
                }
                Thread.sleep(random.nextInt(300));
                server.kill9();
                killed.set(true);
                for (Thread t : writers) {
                    t.join(30_000);
                }
                server.restart();
                client = server.adminClient();
                long writes = check(client, acked);
                assertThat(writes).as("round %d wrote something", round).isGreaterThan(writesBefore);
                writesBefore = writes;
            }
            System.out.println("Kill9LoopTest observed: " + ROUNDS + " SIGKILLs under " + WRITERS + " writers, "
                    + writesBefore + " acknowledged writes, every one present after its restart");
        } finally {
            server.stop();
        }
    }

    /** Checks every state after a restart; returns the acknowledged writes so far. */
    private static long check(StatefortClient client, Map<Integer, List<String>> acked) {
        long total = 0;
        for (int w = 0; w < WRITERS; w++) {
            String name = "k" + w;
            List<String> bodies = List.copyOf(acked.get(w));
            total += bodies.size();
            Set<String> stored = new HashSet<>();
            String before = null;
            do {
                JsonNode page = client.getJson("/api/v1/projects/default/states/" + name + "/versions?limit=1000"
                        + (before == null ? "" : "&before=" + before));
                page.path("items")
                        .forEach(v -> stored.add(v.path("sha256").asText().toLowerCase()));
                before = page.path("nextBefore").isNull()
                                || page.path("nextBefore").isMissingNode()
                        ? null
                        : page.path("nextBefore").asText();
            } while (before != null);
            for (String body : bodies) {
                assertThat(stored)
                        .as("acknowledged write of %s is stored", name)
                        .contains(StatefortClient.sha256Hex(body.getBytes(StandardCharsets.UTF_8))
                                .toLowerCase());
            }
            if (!bodies.isEmpty()) {
                JsonNode current = StatefortClient.JSON.valueToTree(parse(
                        client.get(StatefortClient.statePath("default", name)).body()));
                assertThat(current.path("lineage").asText())
                        .as("the current version is a whole state")
                        .isEqualTo(name);
                long lastAcked = parse(bodies.getLast().getBytes(StandardCharsets.UTF_8))
                        .path("serial")
                        .asLong();
                assertThat(current.path("serial").asLong()).isGreaterThanOrEqualTo(lastAcked);
            }
            assertThat(client.getJson("/api/v1/projects/default/states/" + name + "/lock")
                            .path("locked")
                            .asBoolean())
                    .as("a written state was never locked")
                    .isFalse();
        }
        JsonNode lock = client.getJson("/api/v1/projects/default/states/held/lock");
        assertThat(lock.path("locked").asBoolean())
                .as("the held lock is still held")
                .isTrue();
        assertThat(lock.toString()).as("by the same ID").contains("held-through-every-kill");
        return total;
    }

    private static JsonNode parse(byte[] json) {
        try {
            return StatefortClient.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not a whole JSON state: " + e.getMessage(), e);
        }
    }
}
