package dev.statefort.server.http.history;

import static dev.statefort.server.http.history.TestStates.state;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.server.http.TestServer.Response;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 4, points 1 and 2: summaries, the version list, one version, resources, outputs and diff. */
class VersionInsightApiTest extends HistoryApiFixture {

    @Test
    void summaryHasTerraformVersionSerialLineageResourceAddressesAndOutputs() {
        written(
                "net",
                state(7).resource("web", "hello", false)
                        .moduleResource("vpc", "subnet", "a")
                        .output("vpc_id", "vpc-1", false)
                        .output("db_password", "hunter2", true)
                        .json());

        JsonNode summary = getJson("/states/net/versions/1/summary");
        assertThat(summary.path("readable").asBoolean()).isTrue();
        assertThat(summary.path("terraformVersion").asText()).isEqualTo("1.11.4");
        assertThat(summary.path("serial").asLong()).isEqualTo(7);
        assertThat(summary.path("lineage").asText()).isEqualTo(TestStates.LINEAGE);
        assertThat(summary.path("resourceCount").asInt()).isEqualTo(2);
        JsonNode moduled = summary.path("resources").get(1);
        assertThat(moduled.path("address").asText()).isEqualTo("module.vpc.terraform_data.subnet[\"a\"]");
        assertThat(moduled.path("module").asText()).isEqualTo("module.vpc");
        assertThat(moduled.path("type").asText()).isEqualTo("terraform_data");
        assertThat(moduled.path("name").asText()).isEqualTo("subnet");
        assertThat(moduled.path("indexKey").asText()).isEqualTo("a");
        assertThat(summary.path("resources").get(0).path("address").asText()).isEqualTo("terraform_data.web");
        assertThat(summary.path("outputs").toString())
                .contains("\"name\":\"db_password\"", "\"sensitive\":true", "\"name\":\"vpc_id\"")
                .doesNotContain("hunter2");
        // the summary fields are stored with the version too
        JsonNode version = getJson("/states/net/versions/1");
        assertThat(version.path("resourceCount").asInt()).isEqualTo(2);
        assertThat(version.path("terraformVersion").asText()).isEqualTo("1.11.4");
    }

    @Test
    void openTofuEncryptedBodyIsStoredAndServedExactlyAndSummarizedAsContentsNotReadable() {
        written("secret", TestStates.ENCRYPTED);

        JsonNode summary = getJson("/states/secret/versions/1/summary");
        assertThat(summary.path("readable").asBoolean()).isFalse();
        assertThat(summary.path("message").asText()).isEqualTo("contents not readable");
        assertThat(summary.path("resourceCount").isNull()).isTrue();
        assertThat(get("/states/secret/versions/1/content", reader).body()).isEqualTo(TestStates.ENCRYPTED);
        assertThat(server.send("GET", "/tf/default/secret", null, reader).body())
                .isEqualTo(TestStates.ENCRYPTED);
        JsonNode resources = getJson("/states/secret/resources");
        assertThat(resources.path("readable").asBoolean()).isFalse();
        assertThat(resources.path("message").asText()).isEqualTo("contents not readable");
        assertThat(getJson("/states/secret/outputs").path("message").asText()).isEqualTo("contents not readable");
        assertThat(getJson("/states/secret/versions/1").path("resourceCount").isNull())
                .isTrue();
    }

    @Test
    void unknownJsonIsStoredAndSummarizedAsContentsNotReadable() {
        written("odd", "{\"hello\":\"world\"}");
        JsonNode summary = getJson("/states/odd/versions/1/summary");
        assertThat(summary.path("readable").asBoolean()).isFalse();
        assertThat(summary.path("message").asText()).isEqualTo("contents not readable");
    }

    @Test
    void versionListIsPagedNewestFirstWithWriterAndSummaryFields() {
        String other = server.token("default", dev.statefort.core.model.Permission.WRITE);
        for (int i = 1; i <= 5; i++) {
            String token = i == 5 ? other : writer;
            assertThat(server.send("POST", "/tf/default/paged", TestStates.withResources(i, i), token)
                            .status())
                    .isEqualTo(200);
        }
        JsonNode first = getJson("/states/paged/versions?limit=2");
        assertThat(numbers(first)).containsExactly(5L, 4L);
        assertThat(first.path("nextBefore").asLong()).isEqualTo(4);
        JsonNode newest = first.path("items").get(0);
        assertThat(newest.path("serial").asLong()).isEqualTo(5);
        assertThat(newest.path("resourceCount").asInt()).isEqualTo(5);
        assertThat(newest.path("lineage").asText()).isEqualTo(TestStates.LINEAGE);
        assertThat(newest.path("terraformVersion").asText()).isEqualTo("1.11.4");
        String newestWriter = newest.path("principal").asText();
        String olderWriter = first.path("items").get(1).path("principal").asText();
        assertThat(newestWriter).isNotBlank().isNotEqualTo(olderWriter);

        JsonNode second = getJson("/states/paged/versions?limit=2&before=4");
        assertThat(numbers(second)).containsExactly(3L, 2L);
        JsonNode last = getJson("/states/paged/versions?limit=2&before=2");
        assertThat(numbers(last)).containsExactly(1L);
        assertThat(last.path("nextBefore").isNull()).isTrue();
    }

    @Test
    void versionMetadataAndContentAreByteExact() throws Exception {
        String body = "{ \"version\": 4, \"serial\": 3,\n  \"lineage\": \"x\", \"resources\": [] }\n";
        written("exact", body);

        Response content = get("/states/exact/versions/1/content", reader);
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.bytes()).isEqualTo(body.getBytes(UTF_8));
        JsonNode meta = getJson("/states/exact/versions/1");
        assertThat(meta.path("number").asLong()).isEqualTo(1);
        assertThat(meta.path("size").asLong()).isEqualTo(body.getBytes(UTF_8).length);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(UTF_8)));
        assertThat(meta.path("sha256").asText()).isEqualTo(sha);
        assertThat(meta.path("serial").asLong()).isEqualTo(3);
        assertThat(meta.path("createdAt").asText()).isEqualTo(clock.instant().toString());
        assertThat(get("/states/exact/versions/9", reader).status()).isEqualTo(404);
        assertThat(get("/states/exact/versions/9/content", reader)
                        .json()
                        .path("error")
                        .path("status")
                        .asInt())
                .isEqualTo(404);
    }

    @Test
    void resourcesMaskSensitiveAttributesAndTheirUnmarkedCopies() {
        written(
                "res",
                state(1).resource("plain", "visible-value", false)
                        .resource("secret", "s3cr3t-value", true)
                        .json());

        Response response = get("/states/res/resources", reader);
        assertThat(response.body()).doesNotContain("s3cr3t-value");
        JsonNode items = response.json().path("items");
        assertThat(items).hasSize(2);
        JsonNode secret = items.get(1);
        assertThat(secret.path("address").asText()).isEqualTo("terraform_data.secret");
        assertThat(secret.path("attributes").path("input").asText()).isEqualTo("(sensitive)");
        assertThat(secret.path("attributes").path("output").path("value").asText())
                .isEqualTo("(sensitive)");
        assertThat(items.get(0).path("attributes").path("input").path("value").asText())
                .isEqualTo("visible-value");
        JsonNode filtered = getJson("/states/res/resources?filter=plain").path("items");
        assertThat(filtered).hasSize(1);
    }

    @Test
    void theResourceFilterMatchesAddressOrTypeIgnoringCaseAsTheUiDoes() {
        written(
                "filtered",
                state(1).resource("alpha", "a", false)
                        .resource("beta", "b", false)
                        .json());

        assertThat(getJson("/states/filtered/resources?filter=ALPHA").path("items"))
                .extracting(i -> i.path("address").asText())
                .containsExactly("terraform_data.alpha");
        assertThat(getJson("/states/filtered/resources?filter=Terraform_Data").path("items"))
                .as("the type matches too")
                .hasSize(2);
        assertThat(getJson("/states/filtered/resources?filter=%20beta%20").path("items"))
                .extracting(i -> i.path("address").asText())
                .containsExactly("terraform_data.beta");
        assertThat(getJson("/states/filtered/resources?filter=gamma").path("items"))
                .isEmpty();
    }

    @Test
    void outputsMaskSensitiveValues() {
        written(
                "out",
                state(1).output("endpoint", "https://db.internal", false)
                        .output("password", "hunter2", true)
                        .json());

        Response response = get("/states/out/outputs", reader);
        assertThat(response.body()).doesNotContain("hunter2");
        JsonNode items = response.json().path("items");
        assertThat(items.get(0).path("name").asText()).isEqualTo("endpoint");
        assertThat(items.get(0).path("value").asText()).isEqualTo("https://db.internal");
        assertThat(items.get(0).path("sensitive").asBoolean()).isFalse();
        assertThat(items.get(1).path("value").asText()).isEqualTo("(sensitive)");
        assertThat(items.get(1).path("sensitive").asBoolean()).isTrue();
        assertThat(items.get(1).path("type").asText()).isEqualTo("string");
    }

    @Test
    void diffListsResourcesAddedRemovedChangedWithAttributePathsAndMasksSensitiveValues() {
        written(
                "d",
                state(1).resource("kept", "old", false)
                        .resource("gone", "x", false)
                        .resource("pw", "old-secret", true)
                        .json());
        written(
                "d",
                state(2).resource("kept", "new", false)
                        .resource("pw", "new-secret", true)
                        .resource("fresh", "y", false)
                        .json());

        Response response = get("/states/d/diff?from=1&to=2", reader);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("old-secret").doesNotContain("new-secret");
        JsonNode diff = response.json();
        assertThat(diff.path("from").asLong()).isEqualTo(1);
        assertThat(diff.path("to").asLong()).isEqualTo(2);
        assertThat(diff.path("readable").asBoolean()).isTrue();
        JsonNode changes = diff.path("changes");
        assertThat(texts(changes.path("resourcesAdded"))).containsExactly("terraform_data.fresh");
        assertThat(texts(changes.path("resourcesRemoved"))).containsExactly("terraform_data.gone");
        JsonNode changed = changes.path("resourcesChanged");
        assertThat(changed).hasSize(2);
        JsonNode kept = changed.get(0);
        assertThat(kept.path("address").asText()).isEqualTo("terraform_data.kept");
        JsonNode input = byPath(kept.path("changes"), "input.value");
        assertThat(input.path("before").asText()).isEqualTo("old");
        assertThat(input.path("after").asText()).isEqualTo("new");
        JsonNode pw = changed.get(1);
        assertThat(pw.path("address").asText()).isEqualTo("terraform_data.pw");
        JsonNode secret = byPath(pw.path("changes"), "input.value");
        assertThat(secret.path("before").asText()).isEqualTo("(sensitive)");
        assertThat(secret.path("after").asText()).isEqualTo("(sensitive)");
    }

    @Test
    void diffListsOutputsAddedRemovedChangedAndMasksSensitiveOnes() {
        written(
                "o",
                state(1).output("same", "1", false)
                        .output("url", "a", false)
                        .output("old", "x", false)
                        .output("token", "tok-1", true)
                        .json());
        written(
                "o",
                state(2).output("same", "1", false)
                        .output("url", "b", false)
                        .output("token", "tok-2", true)
                        .output("new", "n", false)
                        .json());

        Response response = get("/states/o/diff?from=1&to=2", reader);
        assertThat(response.body()).doesNotContain("tok-1").doesNotContain("tok-2");
        JsonNode changes = response.json().path("changes");
        assertThat(texts(changes.path("outputsAdded"))).containsExactly("new");
        assertThat(texts(changes.path("outputsRemoved"))).containsExactly("old");
        JsonNode changed = changes.path("outputsChanged");
        assertThat(changed).hasSize(2);
        assertThat(changed.get(0).path("name").asText()).isEqualTo("token");
        assertThat(changed.get(0).path("before").asText()).isEqualTo("(sensitive)");
        assertThat(changed.get(0).path("after").asText()).isEqualTo("(sensitive)");
        assertThat(changed.get(1).path("name").asText()).isEqualTo("url");
        assertThat(changed.get(1).path("before").asText()).isEqualTo("a");
        assertThat(changed.get(1).path("after").asText()).isEqualTo("b");
    }

    @Test
    void diffWithAnOpaqueSideSaysContentsNotReadableAndBadParametersAre400() {
        written("mix", state(1).json());
        written("mix", TestStates.ENCRYPTED);

        JsonNode diff = getJson("/states/mix/diff?from=1&to=2");
        assertThat(diff.path("readable").asBoolean()).isFalse();
        assertThat(diff.path("message").asText()).isEqualTo("contents not readable");
        Response missing = get("/states/mix/diff?from=1", reader);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("error").path("message").asText()).contains("from", "to");
        assertThat(get("/states/mix/diff?from=1&to=0", reader).status()).isEqualTo(400);
        assertThat(get("/states/mix/diff?from=1&to=3", reader).status()).isEqualTo(404);
    }

    private static List<Long> numbers(JsonNode page) {
        List<Long> numbers = new ArrayList<>();
        page.path("items").forEach(v -> numbers.add(v.path("number").asLong()));
        return numbers;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static JsonNode byPath(JsonNode changes, String path) {
        for (JsonNode c : changes) {
            if (c.path("path").asText().equals(path)) {
                return c;
            }
        }
        throw new AssertionError("no change at " + path + " in " + changes);
    }
}
