package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Permission;
import dev.statefort.server.http.UiClient.Session;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 32 in the UI: the header's search box and its results, the fleet overview with its sorting
 * and CSV export, objects managed twice, and a state's "read by"; a viewer sees what it may read.
 */
class UiFleetTest extends UiServerTest {
    private static final String PASSWORD = "ui fleet password 1";

    UiFleetTest() {
        super(PASSWORD);
    }

    private static String bucketState(String name, String id) {
        return "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":1,\"lineage\":\"l\","
                + "\"outputs\":{\"bucket\":{\"value\":\"" + id + "\",\"type\":\"string\"}},"
                + "\"resources\":[{\"mode\":\"managed\",\"type\":\"aws_s3_bucket\",\"name\":\"" + name + "\","
                + "\"provider\":\"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",\"instances\":[{"
                + "\"schema_version\":0,\"attributes\":{\"id\":\"" + id + "\",\"arn\":\"arn:aws:s3:::" + id
                + "\"}}]}]}";
    }

    private String awaitPage(String path, Session who, String expected) throws Exception {
        String body = "";
        for (int i = 0; i < 200 && !body.contains(expected); i++) {
            body = ui.get(path, who.cookie()).body();
            if (!body.contains(expected)) {
                Thread.sleep(50);
            }
        }
        return body;
    }

    @Test
    void aViewerSearchesListsExportsAndSeesObjectsManagedTwice() throws Exception {
        written("network", bucketState("logs", "acme-logs"));
        written("imports", bucketState("adopted", "acme-logs"));
        Session victor = ui.login("victor");

        assertThat(ui.get("/ui/", victor.cookie()).body()).contains("action=\"/ui/search\"", "href=\"/ui/fleet\"");
        String results = awaitPage("/ui/search?q=acme", victor, "aws_s3_bucket.adopted");
        assertThat(results)
                .contains("aws_s3_bucket.logs", "aws_s3_bucket.adopted", "/ui/projects/default/states/network");
        assertThat(ui.get("/ui/search?q=nothing-like-this", victor.cookie()).body())
                .contains("Nothing found");

        String fleet = ui.get("/ui/fleet?sort=size", victor.cookie()).body();
        assertThat(fleet).contains("default/network", "default/imports", "aria-sort=\"descending\"", "1.11.4");
        HttpResponse<String> csv = ui.get("/ui/fleet/export?format=csv&project=default", victor.cookie());
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).contains("default,imports,1,", "default,network,1,");
        assertThat(ui.get("/ui/fleet/export?format=json", victor.cookie()).body())
                .contains("\"state\":\"network\"");

        String twice = awaitPage("/ui/fleet/duplicates", victor, "arn:aws:s3:::acme-logs");
        assertThat(twice).contains("aws_s3_bucket.logs", "aws_s3_bucket.adopted");
    }

    @Test
    void theStatePageShowsWhoReadsItsOutputs() throws Exception {
        written("network", bucketState("logs", "acme-logs"));
        String outputs = server.token("default", Permission.OUTPUTS);
        assertThat(server.send("GET", "/tf/default/network", null, outputs).status())
                .isEqualTo(200);
        Session victor = ui.login("victor");
        assertThat(ui.get("/ui/projects/default/states/network", victor.cookie())
                        .body())
                .contains("/ui/projects/default/states/network/readers");
        String readers = ui.get("/ui/projects/default/states/network/readers", victor.cookie())
                .body();
        assertThat(readers).contains("outputs-token", "token:");
    }
}
