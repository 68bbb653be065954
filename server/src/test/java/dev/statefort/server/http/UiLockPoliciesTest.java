package dev.statefort.server.http;

import static dev.statefort.server.http.UiForms.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.model.Permission;
import dev.statefort.server.http.UiClient.Session;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 29 in the UI: the state page shows every plan holder and the freeze; an admin freezes and
 * lifts a state there, and manages protection rules and the project's freeze on the project's
 * "Protection and freezes" page; the same rules and audit events as the REST API; a viewer gets
 * none of the forms.
 */
class UiLockPoliciesTest extends UiServerTest {
    private static final String PASSWORD = "ui lock policies password 1";

    UiLockPoliciesTest() {
        super(PASSWORD);
    }

    @BeforeAll
    void states() {
        written("planned", "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}");
        written("frozen", "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}");
    }

    private static String plan(String id) {
        return "{\"ID\":\"" + id + "\",\"Operation\":\"OperationTypePlan\",\"Who\":\"" + id + "@ci\"}";
    }

    @Test
    void theStatePageShowsEveryPlanHolderAndTheProjectListCountsThem() throws Exception {
        assertThat(server.send("LOCK", "/tf/default/planned", plan("plan-one"), admin)
                        .status())
                .isEqualTo(200);
        assertThat(server.send("LOCK", "/tf/default/planned", plan("plan-two"), admin)
                        .status())
                .isEqualTo(200);
        Session viewer = ui.login("victor");
        HttpResponse<String> page = ui.get("/ui/projects/default/states/planned", viewer.cookie());
        assertThat(page.body()).contains("2 plan locks").contains("plan-one").contains("plan-two");
        assertThat(page.body()).doesNotContain("freeze-form");
        assertThat(ui.get("/ui/projects/default", viewer.cookie()).body()).contains("2 plans");
        server.send("UNLOCK", "/tf/default/planned", "", admin);
    }

    @Test
    void anAdminFreezesAndLiftsAStateFromItsPage() throws Exception {
        Session alice = ui.login("alice");
        HttpResponse<String> frozen = ui.post(
                "/ui/projects/default/states/frozen/freeze",
                form("_csrf", alice.csrf(), "reason", "release 42 in progress", "until", ""),
                alice);
        assertThat(frozen.statusCode()).isEqualTo(303);
        assertThat(server.send("LOCK", "/tf/default/frozen", "{\"ID\":\"apply\"}", admin)
                        .json()
                        .path("Info")
                        .asText())
                .isEqualTo("release 42 in progress");
        HttpResponse<String> page = ui.get("/ui/projects/default/states/frozen", alice.cookie());
        assertThat(page.body()).contains("freeze-notice").contains("release 42 in progress");

        Session victor = ui.login("victor");
        assertThat(ui.post("/ui/projects/default/states/frozen/freeze/lift", form("_csrf", victor.csrf()), victor)
                        .statusCode())
                .isEqualTo(403);
        assertThat(ui.post("/ui/projects/default/states/frozen/freeze/lift", form("_csrf", alice.csrf()), alice)
                        .statusCode())
                .isEqualTo(303);
        assertThat(server.send("LOCK", "/tf/default/frozen", "{\"ID\":\"apply\"}", admin)
                        .status())
                .isEqualTo(200);
        server.send("UNLOCK", "/tf/default/frozen", "", admin);
        assertThat(server.send("GET", "/api/v1/audit?project=default&action=freeze.set", null, admin)
                        .json()
                        .path("items")
                        .get(0)
                        .path("principal")
                        .asText())
                .isEqualTo("user:alice");
    }

    @Test
    void protectionRulesAndTheProjectFreezeOnTheirPage() throws Exception {
        IssuedToken deploy = server.node().access().tokens().create("default", Permission.WRITE, "deploy");
        Session alice = ui.login("alice");
        HttpResponse<String> created = ui.post(
                "/ui/projects/default/protection/rules",
                form(
                        "_csrf",
                        alice.csrf(),
                        "states",
                        "ui-prod-*",
                        "allow",
                        "",
                        "allowTokens",
                        deploy.record().id()),
                alice);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        HttpResponse<String> page = ui.get("/ui/projects/default/protection", alice.cookie());
        assertThat(page.body())
                .contains("protection-rules")
                .contains("ui-prod-*")
                .contains(deploy.record().id());
        assertThat(server.send("LOCK", "/tf/default/ui-prod-db", "{\"ID\":\"apply\"}", admin)
                        .json()
                        .path("ID")
                        .asText())
                .startsWith("protected: state ui-prod-db is protected by rule");
        HttpResponse<String> unknown = ui.post(
                "/ui/projects/default/protection/rules",
                form("_csrf", alice.csrf(), "states", "x", "allow", "no-such-policy"),
                alice);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("no-such-policy");

        int number = server.send("GET", "/api/v1/projects/default/protection-rules", null, admin)
                .json()
                .path("items")
                .get(0)
                .path("number")
                .asInt();
        assertThat(ui.post(
                                "/ui/projects/default/protection/rules/" + number + "/delete",
                                form("_csrf", alice.csrf()),
                                alice)
                        .statusCode())
                .isEqualTo(303);
        assertThat(server.send("LOCK", "/tf/default/ui-prod-db", "{\"ID\":\"apply\"}", admin)
                        .status())
                .isEqualTo(200);
        server.send("UNLOCK", "/tf/default/ui-prod-db", "", admin);

        assertThat(ui.post(
                                "/ui/projects/default/protection/freeze",
                                form("_csrf", alice.csrf(), "reason", "quarter close", "until", "2099-01-01T00:00"),
                                alice)
                        .statusCode())
                .isEqualTo(303);
        assertThat(ui.get("/ui/projects/default/protection", alice.cookie()).body())
                .contains("project-freeze")
                .contains("quarter close");
        assertThat(server.send("LOCK", "/tf/default/anything", "{\"ID\":\"apply\"}", admin)
                        .status())
                .isEqualTo(423);
        assertThat(ui.post("/ui/projects/default/protection/unfreeze", form("_csrf", alice.csrf()), alice)
                        .statusCode())
                .isEqualTo(303);
        assertThat(server.send("LOCK", "/tf/default/anything", "{\"ID\":\"apply\"}", admin)
                        .status())
                .isEqualTo(200);
        server.send("UNLOCK", "/tf/default/anything", "", admin);

        Session victor = ui.login("victor");
        assertThat(ui.get("/ui/projects/default/protection", victor.cookie()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void theSettingsPageTurnsSharedPlanLocksOff() throws Exception {
        Session alice = ui.login("alice");
        assertThat(ui.get("/ui/projects/default/settings", alice.cookie()).body())
                .contains("sharedPlanLocks");
        assertThat(server.node().project().settings().project("default").sharesPlanLocks())
                .isTrue();
    }
}
