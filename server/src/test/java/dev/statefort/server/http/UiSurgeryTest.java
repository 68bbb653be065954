package dev.statefort.server.http;

import static dev.statefort.server.http.UiForms.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.server.http.UiClient.Session;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 32's surgery in the UI: select resources on the state's surgery page, preview the change (a
 * dry run: nothing written), confirm it; a viewer may not; the audit records it as the API does.
 */
class UiSurgeryTest extends UiServerTest {
    private static final String PASSWORD = "ui surgery password 1";

    UiSurgeryTest() {
        super(PASSWORD);
    }

    private static String state(String lineage, String... names) {
        StringBuilder resources = new StringBuilder();
        for (String n : names) {
            resources
                    .append(resources.isEmpty() ? "" : ",")
                    .append("{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\"" + n + "\","
                            + "\"provider\":\"provider[\\\"terraform.io/builtin/terraform\\\"]\",\"instances\":[{"
                            + "\"schema_version\":0,\"attributes\":{\"id\":\"" + n + "-id\"}}]}");
        }
        return "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":1,\"lineage\":\"" + lineage
                + "\",\"outputs\":{},\"resources\":[" + resources + "]}";
    }

    @Test
    void anAdminSelectsPreviewsAndConfirmsAMoveAViewerMayNot() throws Exception {
        written("app", state("app", "web", "db"));
        written("data", state("data", "cache"));
        Session alice = ui.login("alice");
        assertThat(ui.get("/ui/projects/default/states/app", alice.cookie()).body())
                .contains("/states/app/surgery");
        String select = ui.get("/ui/projects/default/states/app/surgery", alice.cookie())
                .body();
        assertThat(select).contains("value=\"terraform_data.db\"", "<option value=\"data\">data</option>");

        HttpResponse<String> preview = ui.post(
                "/ui/projects/default/states/app/surgery/preview",
                form("_csrf", alice.csrf(), "address", "terraform_data.db", "operation", "mv", "to_state", "data"),
                alice);
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body())
                .contains(
                        "default/app",
                        "− <code>terraform_data.db</code>",
                        "default/data",
                        "+ <code>terraform_data.db</code>",
                        "surgery-confirm");
        assertThat(server.send("GET", "/api/v1/projects/default/states/app/versions", null, admin)
                        .json()
                        .path("items"))
                .as("a preview writes nothing")
                .hasSize(1);

        HttpResponse<String> done = ui.post(
                "/ui/projects/default/states/app/surgery",
                form("_csrf", alice.csrf(), "address", "terraform_data.db", "operation", "mv", "to_state", "data"),
                alice);
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(server.send("GET", "/tf/default/data", null, admin).body()).contains("db-id");
        assertThat(server.send("GET", "/tf/default/app", null, admin).body()).doesNotContain("db-id");
        assertThat(server.send("GET", "/api/v1/audit?project=default&action=state.surgery", null, admin)
                        .json()
                        .path("items"))
                .hasSize(2);

        Session victor = ui.login("victor");
        assertThat(ui.get("/ui/projects/default/states/app/surgery", victor.cookie())
                        .statusCode())
                .isEqualTo(403);
        assertThat(ui.post(
                                "/ui/projects/default/states/app/surgery",
                                form("_csrf", victor.csrf(), "address", "terraform_data.web", "operation", "rm"),
                                victor)
                        .statusCode())
                .isEqualTo(403);
    }
}
