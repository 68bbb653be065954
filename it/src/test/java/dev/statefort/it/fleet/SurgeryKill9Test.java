package dev.statefort.it.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.StatefortProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 32, crash safety of a surgery: a resource is moved back and forth between two large states
 * while the server gets SIGKILL at a random moment of the surgery; after each restart the resource is
 * in exactly one of the two states and each state is whole: both states changed, or neither.
 */
class SurgeryKill9Test {
    private static final int ROUNDS = Integer.getInteger("statefort.surgery.kill9.rounds", 4);
    private static final int FILLER = 800;
    private static final String STATES = "/api/v1/projects/default/states/";

    @TempDir
    Path tmp;

    private static String state(String lineage, boolean withMoving) {
        StringBuilder resources = new StringBuilder();
        for (int i = 0; i < FILLER; i++) {
            resources.append(i == 0 ? "" : ",").append(resource("filler_" + i, lineage + "-" + i));
        }
        if (withMoving) {
            resources.append(",").append(resource("moving", "the-moving-one"));
        }
        return "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":1,\"lineage\":\"" + lineage
                + "\",\"outputs\":{},\"resources\":[" + resources + "],\"check_results\":null}";
    }

    private static String resource(String name, String id) {
        return "{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\"" + name
                + "\",\"provider\":\"provider[\\\"terraform.io/builtin/terraform\\\"]\",\"instances\":[{\"schema_version\":0,"
                + "\"attributes\":{\"id\":\"" + id + "\",\"input\":{\"value\":\"" + "x".repeat(64)
                + "\",\"type\":\"string\"},\"output\":null,\"triggers_replace\":null},\"sensitive_attributes\":[]}]}";
    }

    private static boolean holdsMoving(JsonNode state) {
        for (JsonNode r : state.path("resources")) {
            if (r.path("name").asText().equals("moving")) {
                return true;
            }
        }
        return false;
    }

    /** Moves the resource to the other state, acknowledged; how long it took in milliseconds. */
    private static long timedSurgery(StatefortClient client) {
        boolean leftHolds = holdsMoving(client.getJson("/tf/default/left"));
        long start = System.nanoTime();
        Response r = client.sendUnchecked(
                "POST",
                STATES + (leftHolds ? "left" : "right") + "/surgery",
                ("{\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.moving\",\"state\":\""
                                + (leftHolds ? "right" : "left") + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aKilledSurgeryLeavesBothStatesBeforeOrBothAfter() throws Exception {
        StatefortProcess server = StatefortProcess.start(tmp, "SurgeryKill9Test");
        try {
            StatefortClient client = server.adminClient();
            assertThat(client.send(
                                    "POST",
                                    "/tf/default/left",
                                    state("left", true).getBytes(StandardCharsets.UTF_8))
                            .status())
                    .isEqualTo(200);
            assertThat(client.send(
                                    "POST",
                                    "/tf/default/right",
                                    state("right", false).getBytes(StandardCharsets.UTF_8))
                            .status())
                    .isEqualTo(200);
            Random random = new Random(32);
            AtomicInteger completed = new AtomicInteger();
            int moved = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                client = server.adminClient();
                // one surgery to time (the server has just started: as slow as the killed one will be)
                timedSurgery(client);
                long took = timedSurgery(client); // warmer: as fast as the next one
                boolean leftHolds = holdsMoving(client.getJson("/tf/default/left"));
                String from = leftHolds ? "left" : "right";
                String to = leftHolds ? "right" : "left";
                byte[] body = ("{\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.moving\",\"state\":\"" + to
                                + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                StatefortClient surgeon = client;
                Thread request = Thread.ofPlatform().start(() -> {
                    try {
                        Response r = surgeon.sendUnchecked("POST", STATES + from + "/surgery", body);
                        if (r.status() == 200) {
                            completed.incrementAndGet();
                        }
                    } catch (RuntimeException cut) {
                        // the server died under the request
                    }
                });
                Thread.sleep(random.nextInt((int) Math.max(2, took + took / 2)));
                server.kill9();
                request.join(30_000);
                server.restart();
                client = server.adminClient();
                JsonNode left = client.getJson("/tf/default/left");
                JsonNode right = client.getJson("/tf/default/right");
                assertThat(holdsMoving(left) ^ holdsMoving(right))
                        .as("round %d: the moved resource is in exactly one state", round)
                        .isTrue();
                assertThat(left.path("resources").size()
                                + right.path("resources").size())
                        .as("round %d: each state whole", round)
                        .isEqualTo(2 * FILLER + 1);
                boolean changed = holdsMoving(leftHolds ? right : left);
                moved += changed ? 1 : 0;
                assertThat(left.path("serial").asLong())
                        .as("round %d: both serials moved on together, or neither", round)
                        .isEqualTo(right.path("serial").asLong());
                // a surgery cut short leaves its locks held: cleared as any other lock is
                client.sendUnchecked("DELETE", STATES + "left/lock", new byte[0]);
                client.sendUnchecked("DELETE", STATES + "right/lock", new byte[0]);
            }
            System.out.println("SurgeryKill9Test observed: " + ROUNDS + " SIGKILLs during a surgery, " + moved
                    + " surgeries whole after their restart, " + (ROUNDS - moved) + " not at all ("
                    + completed.get() + " acknowledged)");
            assertThat(moved).as("acknowledged surgeries all survived").isGreaterThanOrEqualTo(completed.get());
        } finally {
            server.stop();
        }
    }
}
