package dev.statefort.server.http.history;

import static dev.statefort.server.http.history.TestStates.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4, point 8: the destructive-write guard in each mode for each trigger. The base state has
 * four resources, serial 10 and lineage {@link TestStates#LINEAGE}.
 */
class DestructiveWriteGuardApiTest extends HistoryApiFixture {
    private static final String BASE = TestStates.withResources(10, 4);

    /** A trigger: the finding it raises and a write that raises only it. */
    record Trigger(String finding, String body) {
        @Override
        public String toString() {
            return finding;
        }
    }

    static Stream<Trigger> triggers() {
        return Stream.of(
                new Trigger("removes-all-resources", TestStates.withResources(11, 0)),
                new Trigger("removes-most-resources", TestStates.withResources(11, 1)),
                new Trigger("lineage-changed", retitled(TestStates.withResources(11, 4))),
                new Trigger("serial-decreased", TestStates.withResources(9, 4)));
    }

    static Stream<Arguments> modesAndTriggers() {
        return Stream.of("off", "warn", "enforce").flatMap(mode -> triggers().map(t -> Arguments.of(mode, t)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("modesAndTriggers")
    void eachTriggerInEachMode(String mode, Trigger trigger) {
        settings("{\"guard\":\"" + mode + "\"}");
        written("g", BASE);

        Response response = write("g", trigger.body());
        switch (mode) {
            case "off" -> {
                assertThat(response.status()).isEqualTo(200);
                assertThat(flagsOf(2)).isEmpty();
                assertThat(audit("state.write.flagged")).isEmpty();
            }
            case "warn" -> {
                assertThat(response.status()).isEqualTo(200);
                assertThat(flagsOf(2)).containsExactly(trigger.finding());
                // the version list shows the flag too
                JsonNode listed = getJson("/states/g/versions").path("items").get(0);
                assertThat(listed.path("number").asLong()).isEqualTo(2);
                assertThat(texts(listed.path("flags"))).containsExactly(trigger.finding());
                assertThat(audit("state.write.flagged")).singleElement().satisfies(e -> {
                    assertThat(e.path("detail").path("version").asLong()).isEqualTo(2);
                    assertThat(texts(e.path("detail").path("findings"))).containsExactly(trigger.finding());
                });
            }
            default -> {
                assertThat(response.status()).isEqualTo(409);
                assertThat(response.body())
                        .contains("statefort state permit-destructive --project default --state g")
                        .contains("POST /api/v1/projects/default/states/g/permit")
                        .contains("quarantined write 1");
                assertThat(versionNumbers("g")).containsExactly(1L);
                JsonNode quarantined = getJson("/states/g/quarantine").path("items");
                assertThat(quarantined).hasSize(1);
                assertThat(texts(quarantined.get(0).path("reasons"))).containsExactly(trigger.finding());
                assertThat(audit("state.write.refused")).hasSize(1);
            }
        }
    }

    @Test
    void theGuardDefaultsToWarn() {
        written("dflt", BASE);
        assertThat(write("dflt", TestStates.withResources(11, 0)).status()).isEqualTo(200);
        assertThat(texts(getJson("/states/dflt/versions/2").path("flags"))).containsExactly("removes-all-resources");
    }

    @Test
    void removingHalfIsNotFlaggedAndTheShareIsConfigurable() {
        written("share", BASE);
        written("share", TestStates.withResources(11, 2)); // 50% removed: not more than 50%
        assertThat(texts(getJson("/states/share/versions/2").path("flags"))).isEmpty();

        settings("{\"guardRemovalPercent\":20}");
        written("share", TestStates.withResources(12, 1)); // 1 of 2 removed: 50% > 20%
        assertThat(texts(getJson("/states/share/versions/3").path("flags"))).containsExactly("removes-most-resources");
    }

    @Test
    void theFirstWriteAndOpaqueBodiesAreNotJudged() {
        settings("{\"guard\":\"enforce\"}");
        assertThat(write("fresh", TestStates.withResources(1, 0)).status()).isEqualTo(200);
        written("fresh", BASE);
        assertThat(write("fresh", TestStates.ENCRYPTED).status()).isEqualTo(200);
        assertThat(getJson("/states/fresh/quarantine").path("items")).isEmpty();
    }

    @Test
    void aQuarantinedWriteCanBeViewedDiffedAndPromotedByAnAdmin() {
        settings("{\"guard\":\"enforce\"}");
        written("q", BASE);
        String refused = TestStates.withResources(11, 0);
        assertThat(write("q", refused).status()).isEqualTo(409);

        JsonNode q = getJson("/states/q/quarantine/1");
        assertThat(q.path("id").asLong()).isEqualTo(1);
        assertThat(texts(q.path("reasons"))).containsExactly("removes-all-resources");
        assertThat(q.path("serial").asLong()).isEqualTo(11);
        assertThat(q.path("resourceCount").asInt()).isZero();
        assertThat(q.path("principal").asText()).isNotBlank();
        assertThat(get("/states/q/quarantine/1/content", reader).body()).isEqualTo(refused);
        JsonNode diff = getJson("/states/q/quarantine/1/diff");
        assertThat(diff.path("readable").asBoolean()).isTrue();
        assertThat(diff.path("changes").path("resourcesRemoved")).hasSize(4);

        assertThat(post("/states/q/quarantine/1/promote", null, writer).status())
                .isEqualTo(403);
        Response promoted = post("/states/q/quarantine/1/promote", null, admin);
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        assertThat(promoted.json().path("number").asLong()).isEqualTo(2);
        assertThat(server.send("GET", "/tf/default/q", null, reader).body()).isEqualTo(refused);
        assertThat(getJson("/states/q/quarantine").path("items")).isEmpty();
        assertThat(audit("quarantine.promote")).singleElement().satisfies(e -> assertThat(
                        e.path("detail").path("newVersion").asLong())
                .isEqualTo(2));
    }

    /** Issue 10 point 7: the default cap is 20 per state, the oldest dropped first; the list is paged. */
    @Test
    void theQuarantineKeepsTheNewestTwentyAndIsPaged() {
        settings("{\"guard\":\"enforce\"}");
        written("loop", BASE);
        for (int i = 0; i < 23; i++) {
            assertThat(write("loop", TestStates.withResources(11 + i, 0)).status())
                    .isEqualTo(409);
        }
        JsonNode first = getJson("/states/loop/quarantine?limit=15");
        assertThat(first.path("items")).hasSize(15);
        assertThat(first.path("items").path(0).path("id").asLong()).isEqualTo(23);
        long next = first.path("nextBefore").asLong();
        assertThat(next).isEqualTo(9);
        JsonNode second = getJson("/states/loop/quarantine?limit=15&before=" + next);
        assertThat(second.path("items")).hasSize(5);
        assertThat(second.path("items").path(4).path("id").asLong())
                .as("1, 2 and 3 were dropped")
                .isEqualTo(4);
        assertThat(second.path("nextBefore").isNull()).isTrue();
        assertThat(get("/states/loop/quarantine/3", reader).status()).isEqualTo(404);
        assertThat(audit("quarantine.drop")).hasSize(3);
    }

    @Test
    void aQuarantinedWriteCanBeDiscardedWithItsBlob() {
        settings("{\"guard\":\"enforce\"}");
        written("qd", BASE);
        assertThat(write("qd", TestStates.withResources(11, 0)).status()).isEqualTo(409);
        String blobKey = server.node()
                .metadata()
                .findQuarantine(new dev.statefort.core.model.StateKey("default", "qd"), 1)
                .orElseThrow()
                .version()
                .blobKey();
        assertThat(server.node().rawBlobs().exists(blobKey)).isTrue();

        assertThat(delete("/states/qd/quarantine/1", writer).status()).isEqualTo(403);
        assertThat(delete("/states/qd/quarantine/1", admin).status()).isEqualTo(204);
        assertThat(get("/states/qd/quarantine/1", reader).status()).isEqualTo(404);
        assertThat(server.node().rawBlobs().exists(blobKey)).isFalse();
        assertThat(versionNumbers("qd")).containsExactly(1L);
    }

    @Test
    void aPermitViaTheApiLetsDestructiveWritesPassUntilItEndsOrIsRevoked() {
        settings("{\"guard\":\"enforce\"}");
        written("p", BASE);
        assertThat(post("/states/p/permit", "{\"minutes\":10}", writer).status())
                .isEqualTo(403);
        Response permit = post("/states/p/permit", "{\"minutes\":10}", admin);
        assertThat(permit.status()).isEqualTo(200);
        assertThat(permit.json().path("until").asText())
                .isEqualTo(
                        clock.instant().plus(java.time.Duration.ofMinutes(10)).toString());

        assertThat(write("p", TestStates.withResources(11, 0)).status()).isEqualTo(200);
        assertThat(audit("state.permit-destructive")).hasSize(1);
        assertThat(audit("state.write.permitted")).hasSize(1);

        written("p", BASE.replace("\"serial\" : 10", "\"serial\" : 12"));
        clock.advance(java.time.Duration.ofMinutes(11));
        assertThat(write("p", TestStates.withResources(13, 0)).status()).isEqualTo(409);

        assertThat(post("/states/p/permit", "{\"minutes\":10}", admin).status()).isEqualTo(200);
        assertThat(delete("/states/p/permit", admin).status()).isEqualTo(204);
        assertThat(write("p", TestStates.withResources(13, 0)).status()).isEqualTo(409);
        assertThat(post("/states/p/permit", "{\"minutes\":0}", admin).status()).isEqualTo(400);
    }

    @Test
    void restoreIsNotJudgedByTheGuard() {
        settings("{\"guard\":\"enforce\"}");
        written("rs", TestStates.withResources(1, 0));
        written("rs", BASE);
        Response restored = post("/states/rs/versions/1/restore", null, admin);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.json().path("resourceCount").asInt()).isZero();
    }

    private List<String> flagsOf(long version) {
        return texts(getJson("/states/g/versions/" + version).path("flags"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static String retitled(String body) {
        return body.replace(TestStates.LINEAGE, "0badc0de-0000-4000-8000-otherlineage");
    }

    static {
        // the base really is what the triggers are judged against
        assertThat(BASE).contains("\"serial\" : 10").contains(TestStates.LINEAGE);
        assertThat(state(1).json()).contains("\"version\" : 4");
    }
}
