package dev.statefort.server.http.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.model.Permission;
import dev.statefort.server.http.TestServer.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 30: the state part of the TFE API over the same states, locks and versions as {@code /tf/},
 * request by request as go-tfe makes them (docs/tfe-api.md); the real {@code terraform} runs the
 * same flows in {@code TerraformCloudBlockTest}.
 */
class TfeApiTest extends HistoryApiFixture {
    static final String ORG = "/api/v2/organizations/default";

    static String state(long serial, String lineage, String outputs) {
        return "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":" + serial + ",\"lineage\":\"" + lineage
                + "\",\"outputs\":" + outputs + ",\"resources\":[]}";
    }

    static String md5(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    Response tfe(String method, String path, String body, String token) {
        return server.send(
                method,
                path,
                body,
                Map.of("Authorization", "Bearer " + token, "Content-Type", "application/vnd.api+json"));
    }

    String workspaceId(String name) {
        Response created = tfe(
                "POST",
                ORG + "/workspaces",
                "{\"data\":{\"type\":\"workspaces\",\"attributes\":{\"name\":\"" + name + "\"}}}",
                writer);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("data").path("id").asText();
    }

    /** Declares a version and returns the create response (upload URLs). */
    Response declare(String ws, long serial, String lineage, String md5, String token) {
        return tfe(
                "POST",
                "/api/v2/workspaces/" + ws + "/state-versions",
                "{\"data\":{\"type\":\"state-versions\",\"attributes\":{\"serial\":" + serial + ",\"md5\":\"" + md5
                        + "\",\"lineage\":\"" + lineage + "\",\"force\":false}}}",
                token);
    }

    /** An upload PUT exactly as go-tfe sends it: no credentials at all. */
    Response put(String url, String body) {
        String path = url.substring(url.indexOf("/api/v2/"));
        return server.send("PUT", path, body, Map.of("Content-Type", "application/octet-stream"));
    }

    @Test
    void discoveryPingAndEntitlementsSayStateStorageWithLocalRunsOnly() {
        Response discovery = server.send("GET", "/.well-known/terraform.json", null, Map.of());
        assertThat(discovery.status()).isEqualTo(200);
        assertThat(discovery.header("Content-Type")).startsWith("application/json");
        assertThat(discovery.json().path("tfe.v2").asText()).isEqualTo("/api/v2/");
        assertThat(discovery.json().path("tfe.v2.1").asText()).isEqualTo("/api/v2/");
        assertThat(discovery.json().path("tfe.v2.2").asText()).isEqualTo("/api/v2/");

        Response ping = server.send("GET", "/api/v2/ping", null, Map.of());
        assertThat(ping.status()).isEqualTo(204);
        assertThat(Double.parseDouble(ping.header("TFP-API-Version"))).isGreaterThanOrEqualTo(2.5);
        assertThat(ping.header("TFP-AppName")).isEqualTo("Statefort");

        Response entitlements = tfe("GET", ORG + "/entitlement-set", null, reader);
        assertThat(entitlements.status()).isEqualTo(200);
        JsonNode attributes = entitlements.json().path("data").path("attributes");
        assertThat(entitlements.json().path("data").path("type").asText()).isEqualTo("entitlement-sets");
        assertThat(attributes.path("operations").asBoolean(true)).isFalse();
        assertThat(attributes.path("state-storage").asBoolean()).isTrue();
        JsonNode projects = tfe("GET", ORG + "/projects?filter%5Bnames%5D=platform", null, reader)
                .json();
        assertThat(projects.path("data")).hasSize(1);
        assertThat(projects.path("data").get(0).path("type").asText()).isEqualTo("projects");
        assertThat(projects.path("data").get(0).path("attributes").path("name").asText())
                .isEqualTo("platform");
        Response unknown =
                tfe("GET", "/api/v2/organizations/nope/entitlement-set", null, server.token(null, Permission.ADMIN));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("errors").get(0).path("status").asText()).isEqualTo("404");
    }

    @Test
    void workspacesAreStatesCreatedTaggedListedByTagsAndPaged() {
        for (String name : new String[] {"app-dev", "app-prod", "net-dev"}) {
            boolean app = name.startsWith("app");
            Response created = tfe(
                    "POST",
                    ORG + "/workspaces",
                    "{\"data\":{\"type\":\"workspaces\",\"attributes\":{\"name\":\"" + name + "\"},"
                            + "\"relationships\":{\"tags\":{\"data\":[{\"type\":\"tags\",\"attributes\":{\"name\":\""
                            + (app ? "app" : "net") + "\"}},{\"type\":\"tags\",\"attributes\":{\"name\":\""
                            + name.substring(name.indexOf('-') + 1) + "\"}}]}}}}",
                    writer);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode ws = created.json().path("data");
            assertThat(ws.path("type").asText()).isEqualTo("workspaces");
            assertThat(ws.path("attributes").path("execution-mode").asText()).isEqualTo("local");
            assertThat(ws.path("attributes").path("terraform-version").asText()).isEqualTo("latest");
            assertThat(ws.path("attributes").path("created-at").asText()).endsWith("Z");
            assertThat(ws.path("attributes")
                            .path("permissions")
                            .path("can-lock")
                            .asBoolean())
                    .isTrue();
        }
        // the state exists, empty, and shows in the REST API like any other
        assertThat(get("/states", reader).body()).contains("app-dev");
        assertThat(tfe("POST", ORG + "/workspaces", "{\"data\":{\"attributes\":{\"name\":\"app-dev\"}}}", writer)
                        .status())
                .as("a name taken")
                .isEqualTo(409);
        assertThat(tfe("POST", ORG + "/workspaces", "{\"data\":{\"attributes\":{\"name\":\"x\"}}}", reader)
                        .status())
                .as("creating needs write")
                .isEqualTo(403);

        JsonNode both = tfe("GET", ORG + "/workspaces?search%5Btags%5D=app,dev", null, reader)
                .json();
        assertThat(both.path("data"))
                .extracting(n -> n.path("attributes").path("name").asText())
                .containsExactly("app-dev");
        JsonNode app = tfe("GET", ORG + "/workspaces?search%5Btags%5D=app", null, reader)
                .json();
        assertThat(app.path("data")).hasSize(2);
        JsonNode byName = tfe("GET", ORG + "/workspaces?search%5Bname%5D=net", null, reader)
                .json();
        assertThat(byName.path("data"))
                .extracting(n -> n.path("attributes").path("name").asText())
                .containsExactly("net-dev");
        JsonNode page1 =
                tfe("GET", ORG + "/workspaces?page%5Bsize%5D=2", null, reader).json();
        assertThat(page1.path("data")).hasSize(2);
        assertThat(page1.path("meta").path("pagination").path("next-page").asInt())
                .isEqualTo(2);
        assertThat(page1.path("meta").path("pagination").path("total-pages").asInt())
                .isEqualTo(2);
        JsonNode page2 = tfe("GET", ORG + "/workspaces?page%5Bsize%5D=2&page%5Bnumber%5D=2", null, reader)
                .json();
        assertThat(page2.path("data")).hasSize(1);
        assertThat(page2.path("meta").path("pagination").path("next-page").isNull())
                .isTrue();

        // by name and by ID; PATCH sets the Terraform version; tags added and removed
        JsonNode ws =
                tfe("GET", ORG + "/workspaces/app-dev", null, reader).json().path("data");
        String id = ws.path("id").asText();
        assertThat(tfe("GET", "/api/v2/workspaces/" + id, null, reader)
                        .json()
                        .path("data")
                        .path("attributes")
                        .path("name")
                        .asText())
                .isEqualTo("app-dev");
        assertThat(tfe("GET", ORG + "/workspaces/missing", null, reader).status())
                .isEqualTo(404);
        Response patched = tfe(
                "PATCH",
                "/api/v2/workspaces/" + id,
                "{\"data\":{\"type\":\"workspaces\",\"attributes\":{\"terraform-version\":\"1.11.4\"}}}",
                writer);
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json()
                        .path("data")
                        .path("attributes")
                        .path("terraform-version")
                        .asText())
                .isEqualTo("1.11.4");
        assertThat(tfe(
                                "POST",
                                "/api/v2/workspaces/" + id + "/relationships/tags",
                                "{\"data\":[{\"type\":\"tags\",\"attributes\":{\"name\":\"Team-A\"}}]}",
                                writer)
                        .status())
                .isEqualTo(204);
        JsonNode tags = tfe("GET", "/api/v2/workspaces/" + id, null, reader)
                .json()
                .path("data")
                .path("attributes")
                .path("tag-names");
        assertThat(tags).extracting(JsonNode::asText).containsExactly("app", "dev", "team-a");
        assertThat(tfe(
                                "POST",
                                "/api/v2/workspaces/" + id + "/relationships/tags",
                                "{\"data\":[{\"type\":\"tags\",\"attributes\":{\"name\":\"bad tag!\"}}]}",
                                writer)
                        .status())
                .isEqualTo(400);
        // the tags show in the REST API's audit trail
        assertThat(server.send("GET", "/api/v1/audit?project=default", null, admin)
                        .body())
                .contains("state.workspace")
                .contains("state.create");
    }

    @Test
    void aTfeLockIsTheStatesLockBothWays() {
        String ws = workspaceId("locked");
        Response locked = tfe(
                "POST",
                "/api/v2/workspaces/" + ws + "/actions/lock",
                "{\"data\":{\"type\":\"\",\"attributes\":{\"reason\":\"Locked by Terraform\"}}}",
                writer);
        assertThat(locked.status()).as(locked.body()).isEqualTo(200);
        assertThat(locked.json().path("data").path("attributes").path("locked").asBoolean())
                .isTrue();
        // an http-backend LOCK waits, shown the TFE holder
        Response refused = lock("locked", "http-lock", writer);
        assertThat(refused.status()).isEqualTo(423);
        assertThat(refused.body()).contains("Locked by Terraform").contains("token:");
        // the same credential locking again (a second job sharing the token) is refused too: 409
        assertThat(tfe("POST", "/api/v2/workspaces/" + ws + "/actions/lock", "", writer)
                        .status())
                .isEqualTo(409);
        // someone else may not unlock it; its holder does
        String otherWriter = server.token("default", Permission.WRITE);
        Response notYours = tfe("POST", "/api/v2/workspaces/" + ws + "/actions/unlock", "", otherWriter);
        assertThat(notYours.status()).isEqualTo(409);
        assertThat(notYours.body()).contains("is locked by User");
        Response unlocked = tfe("POST", "/api/v2/workspaces/" + ws + "/actions/unlock", "", writer);
        assertThat(unlocked.status()).as(unlocked.body()).isEqualTo(200);
        assertThat(unlocked.json()
                        .path("data")
                        .path("attributes")
                        .path("locked")
                        .asBoolean())
                .isFalse();
        assertThat(tfe("POST", "/api/v2/workspaces/" + ws + "/actions/unlock", "", writer)
                        .status())
                .isEqualTo(409);

        // and the reverse: an http-backend lock makes a TFE LOCK a 409, force-unlock releases it
        assertThat(lock("locked", "http-lock", writer).status()).isEqualTo(200);
        Response waits = tfe("POST", "/api/v2/workspaces/" + ws + "/actions/lock", "", otherWriter);
        assertThat(waits.status()).isEqualTo(409);
        assertThat(waits.body()).contains("http-lock");
        assertThat(tfe("POST", "/api/v2/workspaces/" + ws + "/actions/force-unlock", "", reader)
                        .status())
                .isEqualTo(403);
        assertThat(tfe("POST", "/api/v2/workspaces/" + ws + "/actions/force-unlock", "", otherWriter)
                        .status())
                .isEqualTo(200);
        assertThat(tfe("POST", "/api/v2/workspaces/" + ws + "/actions/force-unlock", "", otherWriter)
                        .status())
                .as("nothing left to release")
                .isEqualTo(409);
        assertThat(get("/states/locked/lock", reader).json().path("locked").asBoolean(true))
                .isFalse();
    }

    @Test
    void aVersionUploadedThroughItsUrlsIsAVersionLikeAnyOtherAndEachUrlWorksOnce() throws Exception {
        String ws = workspaceId("uploaded");
        assertThat(tfe("GET", "/api/v2/workspaces/" + ws + "/current-state-version", null, reader)
                        .status())
                .as("no state yet")
                .isEqualTo(404);
        String body = state(1, "lin-1", "{\"vpc\":{\"value\":\"vpc-1\",\"type\":\"string\"}}");
        assertThat(declare(ws, 1, "lin-1", md5(body), writer).status())
                .as("declaring needs the workspace lock")
                .isEqualTo(409);
        assertThat(tfe("POST", "/api/v2/workspaces/" + ws + "/actions/lock", "", writer)
                        .status())
                .isEqualTo(200);
        Response declared = declare(ws, 1, "lin-1", md5(body), writer);
        assertThat(declared.status()).as(declared.body()).isEqualTo(201);
        assertThat(declared.header("X-Terraform-Snapshot-Interval")).isEqualTo("20");
        JsonNode attributes = declared.json().path("data").path("attributes");
        String stateUrl = attributes.path("hosted-state-upload-url").asText();
        String jsonUrl = attributes.path("hosted-json-state-upload-url").asText();
        assertThat(stateUrl).startsWith("http://127.0.0.1:").doesNotContain(writer);
        assertThat(attributes.path("status").asText()).isEqualTo("pending");

        assertThat(put(jsonUrl, "{\"format_version\":\"1.0\"}").status()).isEqualTo(200);
        assertThat(put(stateUrl, body).status()).isEqualTo(200);
        assertThat(put(stateUrl, body).status()).as("a replay").isEqualTo(404);
        assertThat(put(jsonUrl, "{}").status()).as("a replay").isEqualTo(404);
        Response readBack = tfe(
                "GET",
                "/api/v2/state-versions/"
                        + declared.json().path("data").path("id").asText(),
                null,
                writer);
        assertThat(readBack.status()).isEqualTo(200);
        assertThat(readBack.json()
                        .path("data")
                        .path("attributes")
                        .path("status")
                        .asText())
                .isEqualTo("finalized");

        // the same version /tf/ and the REST API see, under the TFE lock, by the asker
        JsonNode version =
                get("/states/uploaded/versions", reader).json().path("items").get(0);
        assertThat(version.path("serial").asLong()).isEqualTo(1);
        assertThat(version.path("principal").asText()).startsWith("token:");
        assertThat(version.path("lockId").asText()).startsWith("tfe-");
        Response current = tfe("GET", "/api/v2/workspaces/" + ws + "/current-state-version", null, reader);
        String download = current.json()
                .path("data")
                .path("attributes")
                .path("hosted-state-download-url")
                .asText();
        Response downloaded = tfe("GET", download.substring(download.indexOf("/api/v2/")), null, reader);
        assertThat(downloaded.body())
                .isEqualTo(
                        server.send("GET", "/tf/default/uploaded", null, reader).body());
        assertThat(downloaded.body()).isEqualTo(body);
        // counted as a /tf/ write and LOCK are
        assertThat(server.send("GET", "/metrics", null, server.token(null, Permission.ADMIN))
                        .body())
                .contains("statefort_state_writes_total{outcome=\"accepted\",project=\"default\"} 1.0")
                .contains("statefort_lock_requests_total{outcome=\"acquired\",project=\"default\"} 1.0");
    }

    @Test
    void anUploadUrlIsBoundToItsDeclarationAndExpires() throws Exception {
        String ws = workspaceId("bound");
        workspaceId("elsewhere");
        tfe("POST", "/api/v2/workspaces/" + ws + "/actions/lock", "", writer);
        String body = state(1, "lin-b", "{}");
        String otherState = state(1, "lin-other", "{}");
        String url = declare(ws, 1, "lin-b", md5(body), writer)
                .json()
                .path("data")
                .path("attributes")
                .path("hosted-state-upload-url")
                .asText();
        // another state's body through it: its MD5 is not the declared one; nothing is written anywhere
        assertThat(put(url, otherState).status()).isEqualTo(400);
        assertThat(get("/states/bound/versions", reader).json().path("items")).isEmpty();
        assertThat(get("/states/elsewhere/versions", reader).json().path("items"))
                .isEmpty();
        // a body with the declared MD5 but another serial than declared
        String wrongSerial = state(2, "lin-b", "{}");
        String url2 = declare(ws, 1, "lin-b", md5(wrongSerial), writer)
                .json()
                .path("data")
                .path("attributes")
                .path("hosted-state-upload-url")
                .asText();
        assertThat(put(url2, wrongSerial).status()).isEqualTo(400);
        // after five minutes it is refused
        String url3 = declare(ws, 1, "lin-b", md5(body), writer)
                .json()
                .path("data")
                .path("attributes")
                .path("hosted-state-upload-url")
                .asText();
        clock.advance(Duration.ofMinutes(6));
        assertThat(put(url3, body).status()).isEqualTo(404);
        assertThat(put("http://x/api/v2/uploads/" + "f".repeat(64), body).status())
                .isEqualTo(404);
        assertThat(get("/states/bound/versions", reader).json().path("items")).isEmpty();
    }

    @Test
    void anInlineStateIsCheckedAgainstItsDeclarationNotAgainstTheCurrentState() throws Exception {
        String ws = workspaceId("inline");
        tfe("POST", "/api/v2/workspaces/" + ws + "/actions/lock", "", writer);
        String v1 = state(1, "lin-i", "{}");
        Response written = tfe(
                "POST",
                "/api/v2/workspaces/" + ws + "/state-versions",
                "{\"data\":{\"type\":\"state-versions\",\"attributes\":{\"serial\":1,\"md5\":\"" + md5(v1)
                        + "\",\"lineage\":\"lin-i\",\"state\":\""
                        + Base64.getEncoder().encodeToString(v1.getBytes(StandardCharsets.UTF_8)) + "\"}}}",
                writer);
        assertThat(written.status()).as(written.body()).isEqualTo(201);
        assertThat(written.json().path("data").path("attributes").path("status").asText())
                .isEqualTo("finalized");
        assertThat(server.send("GET", "/tf/default/inline", null, reader).body())
                .isEqualTo(v1);
        // another lineage is what `terraform state push -force` sends (with force false): Terraform checks
        // lineage and serial itself, the server checks the bytes against the declaration, as /tf/ does
        String otherLineage = state(7, "lin-x", "{}");
        Response replaced = tfe(
                "POST",
                "/api/v2/workspaces/" + ws + "/state-versions",
                "{\"data\":{\"attributes\":{\"serial\":7,\"md5\":\"" + md5(otherLineage)
                        + "\",\"lineage\":\"lin-x\",\"force\":false,\"state\":\""
                        + Base64.getEncoder().encodeToString(otherLineage.getBytes(StandardCharsets.UTF_8)) + "\"}}}",
                writer);
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(201);
        assertThat(server.send("GET", "/tf/default/inline", null, reader).body())
                .isEqualTo(otherLineage);
        // a declaration the bytes do not match: another serial
        Response wrongSerial = tfe(
                "POST",
                "/api/v2/workspaces/" + ws + "/state-versions",
                "{\"data\":{\"attributes\":{\"serial\":8,\"md5\":\"" + md5(otherLineage)
                        + "\",\"lineage\":\"lin-x\",\"state\":\""
                        + Base64.getEncoder().encodeToString(otherLineage.getBytes(StandardCharsets.UTF_8)) + "\"}}}",
                writer);
        assertThat(wrongSerial.status()).isEqualTo(400);
        // a bad md5 in an inline state
        Response badMd5 = tfe(
                "POST",
                "/api/v2/workspaces/" + ws + "/state-versions",
                "{\"data\":{\"attributes\":{\"serial\":2,\"md5\":\"" + "0".repeat(32)
                        + "\",\"lineage\":\"lin-i\",\"state\":\""
                        + Base64.getEncoder().encodeToString(v1.getBytes(StandardCharsets.UTF_8)) + "\"}}}",
                writer);
        assertThat(badMd5.status()).isEqualTo(400);
        assertThat(badMd5.json().path("errors").get(0).path("title").asText()).contains("MD5");
    }

    @Test
    void outputsCarryTheirTypesAndAnOutputsTokenReadsOnlyThem() throws Exception {
        String outputs = "{\"vpc\":{\"value\":\"vpc-1\",\"type\":\"string\"},"
                + "\"ports\":{\"value\":[80,443],\"type\":[\"list\",\"number\"]},"
                + "\"secret\":{\"value\":\"hunter2\",\"type\":\"string\",\"sensitive\":true}}";
        String body = "{\"version\":4,\"terraform_version\":\"1.11.4\",\"serial\":3,\"lineage\":\"lin-o\",\"outputs\":"
                + outputs + ",\"resources\":[{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\"t\","
                + "\"provider\":\"provider[\\\"terraform.io/builtin/terraform\\\"]\",\"instances\":[{\"attributes\":{\"id\":\"1\"}}]}]}";
        written("out", body);
        String ws = tfe("GET", ORG + "/workspaces/out", null, reader)
                .json()
                .path("data")
                .path("id")
                .asText();

        JsonNode list = tfe("GET", "/api/v2/workspaces/" + ws + "/current-state-version-outputs", null, reader)
                .json();
        assertThat(list.path("data")).hasSize(3);
        JsonNode ports = find(list, "ports");
        assertThat(ports.path("attributes").path("detailed-type").toString()).isEqualTo("[\"list\",\"number\"]");
        assertThat(ports.path("attributes").path("value").toString()).isEqualTo("[80,443]");
        JsonNode secret = find(list, "secret");
        assertThat(secret.path("attributes").path("sensitive").asBoolean()).isTrue();
        assertThat(secret.path("attributes").path("value").isNull())
                .as("a list never shows a sensitive value")
                .isTrue();
        Response one =
                tfe("GET", "/api/v2/state-version-outputs/" + secret.path("id").asText(), null, reader);
        assertThat(one.json().path("data").path("attributes").path("value").asText())
                .isEqualTo("hunter2");

        // an outputs token: the outputs it may see, a download that is the outputs-only view, no history
        String outputsToken = server.token("default", Permission.OUTPUTS);
        JsonNode seen = tfe("GET", "/api/v2/workspaces/" + ws + "/current-state-version-outputs", null, outputsToken)
                .json();
        assertThat(seen.path("data"))
                .extracting(n -> n.path("attributes").path("name").asText())
                .containsExactlyInAnyOrder("vpc", "ports");
        assertThat(tfe(
                                "GET",
                                "/api/v2/state-version-outputs/"
                                        + secret.path("id").asText(),
                                null,
                                outputsToken)
                        .status())
                .isEqualTo(404);
        String download = tfe("GET", "/api/v2/workspaces/" + ws + "/current-state-version", null, outputsToken)
                .json()
                .path("data")
                .path("attributes")
                .path("hosted-state-download-url")
                .asText();
        Response view = tfe("GET", download.substring(download.indexOf("/api/v2/")), null, outputsToken);
        assertThat(view.status()).isEqualTo(200);
        assertThat(view.body())
                .contains("vpc-1")
                .doesNotContain("terraform_data")
                .doesNotContain("hunter2");
        assertThat(view.body())
                .isEqualTo(server.send("GET", "/tf/default/out", null, outputsToken)
                        .body());
        assertThat(tfe("GET", "/api/v2/workspaces/" + ws + "/state-versions", null, outputsToken)
                        .status())
                .isEqualTo(403);
        assertThat(tfe("POST", "/api/v2/workspaces/" + ws + "/actions/lock", "", outputsToken)
                        .status())
                .isEqualTo(403);
        // an empty workspace has no outputs: an empty list, not a 404 (terraform output says "No outputs")
        String empty = workspaceId("empty");
        assertThat(tfe("GET", "/api/v2/workspaces/" + empty + "/current-state-version-outputs", null, reader)
                        .json()
                        .path("data"))
                .isEmpty();
    }

    @Test
    void aProtectionRuleRefusesATfeLockAt403AndAnUploadAfterTheLockWasReleasedWritesNothing() throws Exception {
        String ws = workspaceId("prod-db");
        assertThat(server.send(
                                "POST",
                                API + "/protection-rules",
                                "{\"states\":\"prod-*\",\"allowTokens\":[\"nobody\"]}",
                                admin)
                        .status())
                .isEqualTo(201);
        Response refused = tfe("POST", "/api/v2/workspaces/" + ws + "/actions/lock", "", writer);
        assertThat(refused.status()).as("waiting would not help: not a 409").isEqualTo(403);
        assertThat(refused.body()).contains("protected by rule 1");

        String other = workspaceId("released");
        tfe("POST", "/api/v2/workspaces/" + other + "/actions/lock", "", writer);
        String body = state(1, "lin-r", "{}");
        String url = declare(other, 1, "lin-r", md5(body), writer)
                .json()
                .path("data")
                .path("attributes")
                .path("hosted-state-upload-url")
                .asText();
        assertThat(tfe("POST", "/api/v2/workspaces/" + other + "/actions/force-unlock", "", admin)
                        .status())
                .isEqualTo(200);
        Response late = put(url, body);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body()).contains("released");
        assertThat(get("/states/released/versions", reader).json().path("items"))
                .isEmpty();
    }

    @Test
    void theSnapshotIntervalIsTheProjectsSetting() {
        String ws = workspaceId("snap");
        assertThat(server.send("PATCH", "/api/v1/projects/default/settings", "{\"snapshotIntervalSeconds\":0}", admin)
                        .status())
                .isEqualTo(200);
        tfe("POST", "/api/v2/workspaces/" + ws + "/actions/lock", "", writer);
        assertThat(declare(ws, 1, "l", "0".repeat(32), writer).header("X-Terraform-Snapshot-Interval"))
                .isEqualTo("0");
        assertThat(server.send(
                                "PATCH",
                                "/api/v1/projects/default/settings",
                                "{\"snapshotIntervalSeconds\":5000}",
                                admin)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void deletingAWorkspaceNeedsAdminAndDeletesTheState() {
        workspaceId("doomed");
        assertThat(tfe("DELETE", ORG + "/workspaces/doomed", null, writer).status())
                .isEqualTo(403);
        assertThat(tfe("DELETE", ORG + "/workspaces/doomed", null, admin).status())
                .isEqualTo(204);
        assertThat(tfe("GET", ORG + "/workspaces/doomed", null, reader).status())
                .isEqualTo(404);
        assertThat(tfe("DELETE", ORG + "/workspaces/doomed", null, admin).status())
                .isEqualTo(404);
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode item : list.path("data")) {
            if (item.path("attributes").path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no output " + name + " in " + list);
    }
}
