package dev.statefort.it.protocol;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.LockLayout;
import dev.statefort.it.support.StatefortClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue point 4: every accepted write is a version; the REST API lists them and returns their exact bytes. */
class VersionsApiTest extends ServerTestBase {

    @Test
    void versionsAreNumberedPerStateAndListedNewestFirstWithSerialAndLineage() {
        String name = newStateName("versions");
        String state = StatefortClient.statePath(PROJECT, name);
        String lineage = newLockId();
        String lockId = newLockId();
        byte[] v1 = Fixtures.terraformState(1, lineage, "one");
        byte[] v2 = Fixtures.terraformState(2, lineage, "two");
        byte[] v3 = Fixtures.terraformState(3, lineage, "three");
        assertThat(writer.write(state, v1, null).status()).isEqualTo(200);
        assertThat(lock(writer, LockLayout.LOCK_URL, state, lockInfo(lockId, "OperationTypeApply"))
                        .status())
                .isEqualTo(200);
        assertThat(writer.write(state, v2, lockId).status()).isEqualTo(200);
        assertThat(writer.write(state, v3, lockId).status()).isEqualTo(200);
        assertThat(unlock(writer, LockLayout.LOCK_URL, state, lockInfo(lockId)).status())
                .isEqualTo(200);

        JsonNode items = writer.versions(PROJECT, name).path("items");

        assertThat(items).hasSize(3);
        byte[][] bodies = {v3, v2, v1};
        for (int i = 0; i < 3; i++) {
            JsonNode item = items.get(i);
            long number = 3 - i;
            assertThat(item.path("number").asLong()).as("%s", item).isEqualTo(number);
            assertThat(item.path("serial").asLong()).as("%s", item).isEqualTo(number);
            assertThat(item.path("lineage").asText()).as("%s", item).isEqualTo(lineage);
            assertThat(item.path("sha256").asText()).isEqualToIgnoringCase(StatefortClient.sha256Hex(bodies[i]));
            assertThat(item.path("size").asLong()).isEqualTo(bodies[i].length);
            assertThat(item.hasNonNull("createdAt")).as("%s", item).isTrue();
            assertThat(item.hasNonNull("principal")).as("%s", item).isTrue();
        }
        assertThat(items.get(0).path("lockId").asText()).isEqualTo(lockId);
        assertThat(items.get(0).path("operation").asText()).isEqualTo("OperationTypeApply");
        assertThat(items.get(2).path("lockId").isNull()
                        || items.get(2).path("lockId").isMissingNode())
                .as("version 1 was written without a lock: %s", items.get(2))
                .isTrue();
    }

    @Test
    void contentEndpointReturnsTheExactBytesOfEveryVersion() {
        String name = newStateName("content");
        String state = StatefortClient.statePath(PROJECT, name);
        List<byte[]> bodies = List.of(
                Fixtures.terraformState(1, newLockId(), "pretty"),
                Fixtures.compactOpenTofuState(2, newLockId()),
                Fixtures.openTofuEncryptedState(3, newLockId()));
        for (byte[] body : bodies) {
            assertThat(writer.write(state, body, null).status()).isEqualTo(200);
        }

        for (int n = 1; n <= bodies.size(); n++) {
            assertThat(writer.versionContent(PROJECT, name, n)).isEqualTo(bodies.get(n - 1));
        }
        assertThat(writer.get(state).body()).isEqualTo(bodies.get(2));
    }

    @Test
    void versionsArePagedWithLimitAndBefore() {
        String name = newStateName("paging");
        String state = StatefortClient.statePath(PROJECT, name);
        String lineage = newLockId();
        for (int serial = 1; serial <= 5; serial++) {
            assertThat(writer.write(state, Fixtures.terraformState(serial, lineage, "v" + serial), null)
                            .status())
                    .isEqualTo(200);
        }
        String base = "/api/v1/projects/" + PROJECT + "/states/" + name + "/versions?limit=2";

        List<Long> seen = new ArrayList<>();
        String next = base;
        for (int page = 0; page < 10 && next != null; page++) {
            JsonNode response = writer.getJson(next);
            assertThat(response.path("items").size()).isLessThanOrEqualTo(2);
            response.path("items").forEach(item -> seen.add(item.path("number").asLong()));
            JsonNode before = response.path("nextBefore");
            next = before.isNull() || before.isMissingNode() ? null : base + "&before=" + before.asText();
        }

        assertThat(seen).containsExactly(5L, 4L, 3L, 2L, 1L);
    }

    @Test
    void stateListingShowsWrittenStatesAndTheLockHolder() {
        String name = newStateName("listing");
        String state = StatefortClient.statePath(PROJECT, name);
        assertThat(writer.write(state, Fixtures.terraformState(1, newLockId(), "x"), null)
                        .status())
                .isEqualTo(200);
        String lockId = newLockId();
        assertThat(lock(writer, LockLayout.STATE_URL, state, lockInfo(lockId)).status())
                .isEqualTo(200);

        JsonNode summary = writer.stateSummary(PROJECT, name);

        assertThat(summary).as("state %s in the listing", name).isNotNull();
        assertThat(summary.toString()).contains(lockId);
        assertThat(unlock(writer, LockLayout.STATE_URL, state, lockInfo(lockId)).status())
                .isEqualTo(200);
        assertThat(writer.stateSummary(PROJECT, name).toString()).doesNotContain(lockId);
    }
}
