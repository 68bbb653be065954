package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.server.http.UiClient.Session;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 30 in the UI: a state's tags, set by a TFE client, show on its page; a state without tags shows none. */
class UiWorkspaceTagsTest extends UiServerTest {
    private static final String PASSWORD = "ui workspace tags password 1";

    UiWorkspaceTagsTest() {
        super(PASSWORD);
    }

    @Test
    void aStatesTagsShowOnItsPage() throws Exception {
        TestServer.Response created = server.send(
                "POST",
                "/api/v2/organizations/default/workspaces",
                "{\"data\":{\"type\":\"workspaces\",\"attributes\":{\"name\":\"tagged\"},\"relationships\":{\"tags\":"
                        + "{\"data\":[{\"type\":\"tags\",\"attributes\":{\"name\":\"team-a\"}},"
                        + "{\"type\":\"tags\",\"attributes\":{\"name\":\"prod\"}}]}}}}",
                Map.of("Authorization", "Bearer " + admin, "Content-Type", "application/vnd.api+json"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        written("untagged", "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[]}");

        Session viewer = ui.login("victor");
        HttpResponse<String> page = ui.get("/ui/projects/default/states/tagged", viewer.cookie());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("state-tags").contains(">prod</span>").contains(">team-a</span>");
        assertThat(page.body()).contains("Nothing written yet");
        assertThat(ui.get("/ui/projects/default/states/untagged", viewer.cookie())
                        .body())
                .doesNotContain("state-tags");
    }
}
