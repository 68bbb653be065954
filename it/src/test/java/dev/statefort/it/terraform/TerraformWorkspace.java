package dev.statefort.it.terraform;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.LockLayout;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.TerraformCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One terraform working directory bound to one Statefort state, in one of the lock layouts: its
 * backend block, and what the server holds for it (versions, current state, lock) read through
 * {@code api}.
 */
record TerraformWorkspace(
        LockLayout layout, String project, String state, TerraformCli tf, String baseUrl, StatefortClient api) {

    String path() {
        return StatefortClient.statePath(project, state);
    }

    String backendBlock() {
        String address = baseUrl + path();
        String lockAddress = address + layout.suffix;
        StringBuilder block = new StringBuilder("terraform {\n  backend \"http\" {\n");
        block.append("    address        = \"").append(address).append("\"\n");
        block.append("    lock_address   = \"").append(lockAddress).append("\"\n");
        block.append("    unlock_address = \"").append(lockAddress).append("\"\n");
        if (!"LOCK".equals(layout.lockMethod)) {
            block.append("    lock_method    = \"").append(layout.lockMethod).append("\"\n");
            block.append("    unlock_method  = \"").append(layout.unlockMethod).append("\"\n");
        }
        block.append("  }\n}\n");
        return block.toString();
    }

    JsonNode versions() {
        return api.versions(project, state).path("items");
    }

    JsonNode serverState() {
        Response read = api.get(path());
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        return parse(read.body());
    }

    Response lock(String id, int expectedStatus) {
        Response response =
                api.send(layout.lockMethod, layout.lockPath(path()), lockInfo(id), "Content-Type", "application/json");
        assertThat(response.status()).as("%s", response).isEqualTo(expectedStatus);
        return response;
    }

    void lock(String id) {
        lock(id, 200);
    }

    void unlock(String id) {
        Response response = api.send(
                layout.unlockMethod, layout.lockPath(path()), lockInfo(id), "Content-Type", "application/json");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
    }

    void assertLockedBy(String holderId) {
        Response refused = lock(newLockId(), 423);
        assertThat(refused.json().path("ID").asText()).isEqualTo(holderId);
    }

    /** The {@code lock} object of this state in {@code GET /api/v1/projects/{p}/states} (null node if free). */
    JsonNode restLock() {
        JsonNode summary = api.stateSummary(project, state);
        assertThat(summary).as("state %s is listed", state).isNotNull();
        return summary.path("lock");
    }

    void assertUnlocked() {
        JsonNode lock = restLock();
        assertThat(lock.isNull() || lock.isMissingNode())
                .as("REST listing shows no lock: %s", lock)
                .isTrue();
        String probe = newLockId();
        lock(probe);
        unlock(probe);
    }

    static String inputValue(JsonNode state) {
        for (JsonNode resource : state.path("resources")) {
            if ("example".equals(resource.path("name").asText())) {
                return resource.path("instances")
                        .get(0)
                        .path("attributes")
                        .path("input")
                        .path("value")
                        .asText();
            }
        }
        throw new AssertionError("no terraform_data.example in " + state);
    }

    static JsonNode parse(byte[] json) {
        try {
            return StatefortClient.JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(json, StandardCharsets.UTF_8), e);
        }
    }
}
