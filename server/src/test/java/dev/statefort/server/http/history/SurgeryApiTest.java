package dev.statefort.server.http.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * State surgery over the REST API: a dry run changes nothing; rm and mv within a state and between
 * two states write one new version of each (serial + 1, same lineage) in one step, under locks the
 * surgery takes and releases; another holder's lock is a 423 and the guard's enforce a 409, with
 * nothing written; reverting the surgery's session on each state brings them back.
 */
class SurgeryApiTest extends HistoryApiFixture {
    private static String instance(String type, String name, String id) {
        return "{\"mode\":\"managed\",\"type\":\"" + type + "\",\"name\":\"" + name
                + "\",\"provider\":\"provider[\\\"terraform.io/builtin/terraform\\\"]\",\"instances\":[{"
                + "\"schema_version\":0,\"attributes\":{\"id\":\"" + id + "\",\"input\":null}}]}";
    }

    private static String state(String lineage, int serial, String... resources) {
        return "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":" + serial + ",\"lineage\":\"" + lineage
                + "\",\"outputs\":{},\"resources\":[" + String.join(",", resources) + "],\"check_results\":null}";
    }

    private Response surgery(String state, String body, String token) {
        return server.send("POST", API + "/states/" + state + "/surgery", body, token);
    }

    private JsonNode current(String state) {
        return server.send("GET", "/tf/default/" + state, null, admin).json();
    }

    private static List<String> addresses(JsonNode tree) {
        List<String> out = new ArrayList<>();
        tree.path("resources")
                .forEach(r ->
                        out.add(r.path("type").asText() + "." + r.path("name").asText()));
        return out;
    }

    private void twoStates() {
        written(
                "app",
                state(
                        "lineage-app",
                        5,
                        instance("terraform_data", "web", "id-web"),
                        instance("terraform_data", "db", "id-db")));
        written("data", state("lineage-data", 2, instance("terraform_data", "cache", "id-cache")));
    }

    @Test
    void aDryRunAnswersTheChangeAndWritesNothing() {
        twoStates();
        Response dry = surgery(
                "app",
                "{\"dryRun\":true,\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.db\",\"to\":\"terraform_data.db\","
                        + "\"state\":\"data\"},{\"op\":\"mv\",\"from\":\"terraform_data.web\",\"to\":\"terraform_data.frontend\"}]}",
                writer);
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        JsonNode answer = dry.json();
        assertThat(answer.path("dryRun").asBoolean()).isTrue();
        JsonNode app = answer.path("states").get(0);
        assertThat(app.path("state").asText()).isEqualTo("app");
        assertThat(app.path("toVersion").isNull()).isTrue();
        assertThat(app.path("serial").asLong()).isEqualTo(6);
        assertThat(app.path("removed").toString()).contains("terraform_data.db", "terraform_data.web");
        assertThat(app.path("added").toString()).contains("terraform_data.frontend");
        assertThat(answer.path("states").get(1).path("added").toString()).contains("terraform_data.db");
        assertThat(versionNumbers("app")).containsExactly(1L);
        assertThat(versionNumbers("data")).containsExactly(1L);
        assertThat(server.send("GET", "/tf/default/app/lock", null, admin).status())
                .isNotEqualTo(423);
    }

    @Test
    void aMoveBetweenTwoStatesWritesBothInOneStepAndARevertOfEachUndoesIt() {
        twoStates();
        Response done = surgery(
                "app",
                "{\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.db\",\"to\":\"terraform_data.db\","
                        + "\"state\":\"data\"},{\"op\":\"rm\",\"address\":\"terraform_data.web\"}]}",
                writer);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        JsonNode app = current("app");
        JsonNode data = current("data");
        assertThat(addresses(app)).isEmpty();
        assertThat(addresses(data)).containsExactly("terraform_data.cache", "terraform_data.db");
        assertThat(app.path("serial").asLong()).isEqualTo(6);
        assertThat(app.path("lineage").asText()).isEqualTo("lineage-app");
        assertThat(data.path("serial").asLong()).isEqualTo(3);
        assertThat(data.path("lineage").asText()).isEqualTo("lineage-data");
        assertThat(data.toString()).contains("id-db").contains("terraform.io/builtin/terraform");
        assertThat(versionNumbers("app")).containsExactly(2L, 1L);
        assertThat(versionNumbers("data")).containsExactly(2L, 1L);
        assertThat(server.send("GET", API + "/states/app/lock", null, admin)
                        .json()
                        .path("locked")
                        .asBoolean())
                .as("the surgery's locks are released")
                .isFalse();
        assertThat(server.send("GET", "/api/v1/audit?project=default&action=state.surgery", null, admin)
                        .json()
                        .path("items"))
                .hasSize(2);

        String lockId = done.json().path("states").get(0).path("toVersion").isNumber()
                ? server.send("GET", API + "/states/app/versions/2", null, admin)
                        .json()
                        .path("lockId")
                        .asText()
                : null;
        assertThat(lockId).isNotBlank();
        String dataLock = server.send("GET", API + "/states/data/versions/2", null, admin)
                .json()
                .path("lockId")
                .asText();
        assertThat(server.send("POST", API + "/states/app/sessions/" + enc(lockId) + "/revert", null, admin)
                        .status())
                .isEqualTo(200);
        assertThat(server.send("POST", API + "/states/data/sessions/" + enc(dataLock) + "/revert", null, admin)
                        .status())
                .isEqualTo(200);
        assertThat(addresses(current("app"))).containsExactly("terraform_data.web", "terraform_data.db");
        assertThat(addresses(current("data"))).containsExactly("terraform_data.cache");
    }

    @Test
    void anotherHoldersLockIsA423AndNothingIsWritten() {
        twoStates();
        assertThat(lock("data", "someone-else", writer).status()).isEqualTo(200);
        Response refused = surgery(
                "app", "{\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.db\",\"state\":\"data\"}]}", writer);
        assertThat(refused.status()).isEqualTo(423);
        assertThat(refused.json().path("holder").path("id").asText()).isEqualTo("someone-else");
        assertThat(versionNumbers("app")).containsExactly(1L);
        assertThat(server.send("GET", API + "/states/app/lock", null, admin)
                        .json()
                        .path("locked")
                        .asBoolean())
                .as("the lock it took on app is released")
                .isFalse();

        assertThat(lock("app", "mine", writer).status()).isEqualTo(200);
        Response underMine = surgery(
                "app",
                "{\"lockId\":\"mine\",\"operations\":[{\"op\":\"rm\",\"address\":\"terraform_data.web\"}]}",
                writer);
        assertThat(underMine.status()).as(underMine.body()).isEqualTo(200);
        assertThat(server.send("GET", API + "/states/app/versions/2", null, admin)
                        .json()
                        .path("lockId")
                        .asText())
                .isEqualTo("mine");
        assertThat(server.send("GET", API + "/states/app/lock", null, admin)
                        .json()
                        .path("holder")
                        .path("id")
                        .asText())
                .as("the caller's own lock stays held")
                .isEqualTo("mine");
    }

    @Test
    void theGuardJudgesTheChangeAndBadOperationsAreRefused() {
        twoStates();
        settings("{\"guard\":\"enforce\"}");
        Response refused = surgery(
                "app",
                "{\"operations\":[{\"op\":\"rm\",\"address\":\"terraform_data.web\"},{\"op\":\"rm\",\"address\":\"terraform_data.db\"}]}",
                writer);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().path("findings")).isNotEmpty();
        assertThat(versionNumbers("app")).containsExactly(1L);

        assertThat(surgery("app", "{\"operations\":[{\"op\":\"rm\",\"address\":\"terraform_data.nope\"}]}", writer)
                        .status())
                .isEqualTo(400);
        assertThat(surgery("app", "{\"operations\":[{\"op\":\"rm\",\"address\":\"not an address\"}]}", writer)
                        .status())
                .isEqualTo(400);
        assertThat(surgery(
                                "app",
                                "{\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.web\",\"to\":\"terraform_data.db\"}]}",
                                writer)
                        .status())
                .isEqualTo(409);
        assertThat(surgery("app", "{\"operations\":[{\"op\":\"rm\",\"address\":\"terraform_data.web\"}]}", reader)
                        .status())
                .isEqualTo(403);
        assertThat(surgery("app", "{\"operations\":[]}", writer).status()).isEqualTo(400);
    }

    @Test
    void aSwapWithinAStateIsOneVersionAndAnEmptyChangeIsRefused() {
        twoStates();
        Response swapped = surgery(
                "app",
                "{\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.web\",\"to\":\"terraform_data.tmp\"},"
                        + "{\"op\":\"mv\",\"from\":\"terraform_data.db\",\"to\":\"terraform_data.web\"},"
                        + "{\"op\":\"mv\",\"from\":\"terraform_data.tmp\",\"to\":\"terraform_data.db\"}]}",
                writer);
        assertThat(swapped.status()).as(swapped.body()).isEqualTo(200);
        assertThat(swapped.json().path("states")).hasSize(1);
        JsonNode app = current("app");
        assertThat(app.path("serial").asLong()).isEqualTo(6);
        java.util.Map<String, String> idByName = new java.util.HashMap<>();
        app.path("resources")
                .forEach(r -> idByName.put(
                        r.path("name").asText(),
                        r.path("instances").get(0).path("attributes").path("id").asText()));
        assertThat(idByName)
                .as("the addresses are the same, their objects swapped")
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("web", "id-db", "db", "id-web"));

        Response nothing = surgery(
                "app",
                "{\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.web\",\"to\":\"terraform_data.tmp\"},"
                        + "{\"op\":\"mv\",\"from\":\"terraform_data.tmp\",\"to\":\"terraform_data.web\"}]}",
                writer);
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.body()).contains("change nothing");
    }
}
