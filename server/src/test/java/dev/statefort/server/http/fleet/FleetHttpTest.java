package dev.statefort.server.http.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.server.http.TestServer;
import dev.statefort.server.http.TestServer.Response;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet over HTTP on the embedded stores: the index made after each write, search by address,
 * type, identifying value and identity within what the caller may read, objects managed twice, who
 * reads a state's outputs, the overview as JSON and CSV, and nothing sensitive in the index.
 */
class FleetHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "hunter2-very-secret-value";

    @TempDir
    Path dir;

    private TestServer server;
    private String admin;

    @BeforeEach
    void setUp() throws Exception {
        server = TestServer.start(dir.resolve("data"), Clock.systemUTC());
        admin = server.token(null, Permission.ADMIN);
        assertThat(server.send("POST", "/api/v1/projects", "{\"name\":\"other\"}", admin)
                        .status())
                .isEqualTo(201);
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    private static String resource(String type, String name, String attributes, String extra) {
        return "{\"mode\":\"managed\",\"type\":\"" + type + "\",\"name\":\"" + name
                + "\",\"provider\":\"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",\"instances\":[{"
                + "\"schema_version\":0,\"attributes\":{" + attributes + "}" + extra + "}]}";
    }

    private static String state(int serial, String... resources) {
        return "{\"version\":4,\"terraform_version\":\"1.12.1\",\"serial\":" + serial
                + ",\"lineage\":\"l-1\",\"outputs\":{\"vpc_id\":{\"value\":\"vpc-1\",\"type\":\"string\"}},"
                + "\"resources\":[" + String.join(",", resources) + "]}";
    }

    private void push(StateKey key, String body) {
        Response r = server.send("POST", "/tf/" + key.project() + "/" + key.name(), body, admin);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private JsonNode get(String path, String token) {
        Response r = server.send("GET", path, null, token);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.json();
    }

    /** Polls until the answer's items match (the index follows a write in the background). */
    private JsonNode await(String path, String token, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode items = get(path, token).path("items");
        while (!done.test(items) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            items = get(path, token).path("items");
        }
        return items;
    }

    private static List<String> addresses(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path("project").asText() + "/"
                + i.path("state").asText() + " " + i.path("address").asText()));
        return out;
    }

    private void pushTheFleet() {
        push(
                new StateKey("default", "network"),
                state(
                        1,
                        resource(
                                "aws_s3_bucket",
                                "logs",
                                "\"id\":\"acme-logs\",\"arn\":\"arn:aws:s3:::acme-logs\",\"bucket\":\"acme-logs\"",
                                ""),
                        resource(
                                "aws_db_instance",
                                "main",
                                "\"id\":\"db-1\",\"name\":\"" + SECRET + "\",\"password\":\"" + SECRET + "\"",
                                ",\"sensitive_attributes\":[[{\"type\":\"get_attr\",\"value\":\"name\"}],"
                                        + "[{\"type\":\"get_attr\",\"value\":\"password\"}]]"),
                        resource(
                                "aws_iam_role",
                                "ci",
                                "\"id\":\"ci-role\"",
                                ",\"identity_schema_version\":0,\"identity\":{\"account_id\":\"123456789012\","
                                        + "\"name\":\"ci-role\"}")));
        push(
                new StateKey("other", "imports"),
                state(
                        1,
                        resource(
                                "aws_s3_bucket",
                                "adopted",
                                "\"id\":\"acme-logs\",\"arn\":\"arn:aws:s3:::acme-logs\"",
                                ""),
                        resource(
                                "aws_iam_role",
                                "same",
                                "\"id\":\"ci-role-2\"",
                                ",\"identity\":{\"name\":\"ci-role\",\"account_id\":\"123456789012\"}")));
        push(new StateKey("default", "secret"), "{\"version\":4,\"encrypted_data\":\"AAAA\",\"meta\":{}}");
    }

    @Test
    void aSearchFindsByAddressTypeValueAndIdentityOnlyWhereTheCallerMayRead() throws Exception {
        pushTheFleet();
        JsonNode byId = await("/api/v1/search?q=acme-logs", admin, i -> i.size() == 2);
        assertThat(addresses(byId))
                .containsExactlyInAnyOrder("default/network aws_s3_bucket.logs", "other/imports aws_s3_bucket.adopted");
        assertThat(byId.get(0).path("field").asText()).isIn("id", "arn");
        assertThat(byId.get(0).path("version").asLong()).isEqualTo(1);

        assertThat(addresses(get("/api/v1/search?q=aws_s3_bucket.lo", admin).path("items")))
                .containsExactly("default/network aws_s3_bucket.logs");
        assertThat(addresses(get("/api/v1/search?type=aws_iam_role", admin).path("items")))
                .containsExactlyInAnyOrder("default/network aws_iam_role.ci", "other/imports aws_iam_role.same");
        JsonNode byIdentity = get("/api/v1/search?q=123456789012", admin).path("items");
        assertThat(byIdentity).hasSize(2);
        assertThat(byIdentity.get(0).path("field").asText()).isEqualTo("identity.account_id");
        assertThat(addresses(get("/api/v1/search?q=acme&project=other", admin).path("items")))
                .containsExactly("other/imports aws_s3_bucket.adopted");

        String reader = server.token("default", Permission.READ);
        assertThat(addresses(get("/api/v1/search?q=acme-logs", reader).path("items")))
                .as("a project's reader finds nothing of another project")
                .containsExactly("default/network aws_s3_bucket.logs");
        assertThat(get("/api/v1/search?q=acme&project=other", reader).path("items"))
                .isEmpty();
        String oneState = server.node()
                .access()
                .tokens()
                .create(
                        new dev.statefort.core.auth.TokenRequest(
                                "one", "default", "secret", Permission.READ, null, null),
                        new dev.statefort.core.auth.Principal("cli", null, Permission.ADMIN))
                .token();
        assertThat(get("/api/v1/search?q=acme", oneState).path("items")).isEmpty();
        String outputs = server.token("default", Permission.OUTPUTS);
        assertThat(server.send("GET", "/api/v1/search?q=acme", null, outputs).status())
                .as("an outputs credential finds nothing")
                .isEqualTo(403);
        assertThat(server.send("GET", "/api/v1/search", null, admin).status()).isEqualTo(400);
        assertThat(server.send("GET", "/api/v1/search?q=x&limit=0", null, admin).status())
                .isEqualTo(400);
    }

    @Test
    void nothingSensitiveIsEverIndexed() throws Exception {
        pushTheFleet();
        await("/api/v1/search?q=db-1", admin, i -> i.size() == 1);
        assertThat(get("/api/v1/search?q=hunter2", admin).path("items")).isEmpty();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/statefort.db"));
                Statement s = c.createStatement()) {
            int rows = 0;
            for (String table : List.of("index_entries", "index_terms")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        rows++;
                        for (int i = 1; i <= columns; i++) {
                            byte[] raw = rs.getBytes(i);
                            String text = raw == null ? "" : new String(raw, java.nio.charset.StandardCharsets.UTF_8);
                            assertThat(text.toLowerCase()).as(table).doesNotContain("hunter2");
                        }
                    }
                }
            }
            assertThat(rows)
                    .as("the index is not empty: the check looked at something")
                    .isGreaterThan(10);
        }
    }

    @Test
    void anObjectInTwoStatesIsFlaggedToThoseWhoMayReadBoth() throws Exception {
        pushTheFleet();
        JsonNode dups = await("/api/v1/fleet/duplicates", admin, i -> i.size() == 2);
        assertThat(dups).hasSize(2);
        List<String> keys = new ArrayList<>();
        dups.forEach(d -> keys.add(d.path("type").asText() + " " + d.path("key").asText()));
        assertThat(keys)
                .containsExactlyInAnyOrder(
                        "aws_iam_role identity account_id=123456789012 name=ci-role",
                        "aws_s3_bucket arn=arn:aws:s3:::acme-logs");
        JsonNode bucket = dups.get(keys.indexOf("aws_s3_bucket arn=arn:aws:s3:::acme-logs"));
        assertThat(bucket.path("owners").get(0).path("address").asText()).isEqualTo("aws_s3_bucket.logs");
        assertThat(bucket.path("owners").get(1).path("state").asText()).isEqualTo("imports");
        String reader = server.token("default", Permission.READ);
        assertThat(get("/api/v1/fleet/duplicates", reader).path("items"))
                .as("the other owner is in a project it may not read")
                .isEmpty();
    }

    @Test
    void outputsReadersAreListedWithTheirCounts() throws Exception {
        pushTheFleet();
        String outputs = server.token("default", Permission.OUTPUTS);
        for (int i = 0; i < 3; i++) {
            Response r = server.send("GET", "/tf/default/network", null, outputs);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("vpc_id").doesNotContain("aws_s3_bucket");
        }
        server.send("GET", "/tf/default/network", null, admin); // a full read is not an outputs read
        JsonNode readers =
                get("/api/v1/projects/default/states/network/consumers", admin).path("items");
        assertThat(readers).hasSize(1);
        assertThat(readers.get(0).path("reader").asText()).startsWith("token:");
        assertThat(readers.get(0).path("via").asText()).isEqualTo("outputs-token");
        assertThat(readers.get(0).path("reads").asLong()).isEqualTo(3);
        assertThat(readers.get(0).path("firstSeen").asText()).isNotEmpty();
        assertThat(server.send(
                                "GET",
                                "/api/v1/projects/other/states/imports/consumers",
                                null,
                                server.token("default", Permission.READ))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void readsThroughAnAliasAndTheTfeOutputsRouteAreCountedToo() throws Exception {
        pushTheFleet();
        Response alias = server.send(
                "POST",
                "/api/v1/projects/default/aliases",
                "{\"state\":\"network\",\"permission\":\"outputs\"}",
                admin);
        assertThat(alias.status()).as(alias.body()).isEqualTo(201);
        JsonNode created = alias.json();
        String address = java.net
                .URI
                .create(created.path("alias").path("address").asText())
                .getPath();
        String basic = "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((created.path("environment")
                                                .path("TF_HTTP_USERNAME")
                                                .asText() + ":"
                                        + created.path("environment")
                                                .path("TF_HTTP_PASSWORD")
                                                .asText())
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Response viaAlias = server.sendAuthorized("GET", address, null, basic);
        assertThat(viaAlias.status()).as(viaAlias.body()).isEqualTo(200);
        assertThat(viaAlias.body()).contains("vpc_id");

        String workspace = "ws-"
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("default/network".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String tfeReader = server.token("default", Permission.READ);
        Response outputs = server.send(
                "GET", "/api/v2/workspaces/" + workspace + "/current-state-version-outputs", null, tfeReader);
        assertThat(outputs.status()).as(outputs.body()).isEqualTo(200);

        JsonNode readers =
                get("/api/v1/projects/default/states/network/consumers", admin).path("items");
        List<String> vias = new ArrayList<>();
        readers.forEach(r -> vias.add(r.path("reader").asText().replaceAll(":.*", "") + " "
                + r.path("via").asText()));
        assertThat(vias).containsExactlyInAnyOrder("alias alias", "token tfe-outputs");
    }

    @Test
    void theOverviewListsFiltersSortsAndExports() throws Exception {
        pushTheFleet();
        server.send(
                "LOCK",
                "/tf/default/network/lock",
                "{\"ID\":\"l-1\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci@runner\",\"Version\":\"1.12.1\","
                        + "\"Created\":\"2026-12-07T10:00:00Z\",\"Path\":\"\",\"Info\":\"\"}",
                admin);
        JsonNode all = await("/api/v1/fleet/states", admin, i -> {
            for (JsonNode s : i) {
                if (s.path("state").asText().equals("secret")
                        && !s.path("index").asText().equals("pending")) {
                    return true;
                }
            }
            return false;
        });
        List<String> names = new ArrayList<>();
        all.forEach(s ->
                names.add(s.path("project").asText() + "/" + s.path("state").asText()));
        assertThat(names).containsExactly("default/network", "default/secret", "other/imports");
        JsonNode network = all.get(0);
        assertThat(network.path("resources").asInt()).isEqualTo(3);
        assertThat(network.path("writes7d").asLong()).isEqualTo(1);
        assertThat(network.path("terraformVersion").asText()).isEqualTo("1.12.1");
        assertThat(network.path("lockHolder").asText()).startsWith("token:");
        assertThat(all.get(1).path("index").asText())
                .as("client-encrypted: listed, not indexed")
                .isEqualTo("not-readable");

        JsonNode locked = get("/api/v1/fleet/states?locked=true", admin).path("items");
        assertThat(locked).hasSize(1);
        JsonNode bySize =
                get("/api/v1/fleet/states?sort=size&order=desc", admin).path("items");
        assertThat(bySize.get(0).path("size").asLong())
                .isGreaterThanOrEqualTo(bySize.get(1).path("size").asLong());
        assertThat(get("/api/v1/fleet/states", server.token("other", Permission.READ))
                        .path("items"))
                .hasSize(1);
        assertThat(server.send("GET", "/api/v1/fleet/states?sort=nope", null, admin)
                        .status())
                .isEqualTo(400);

        Response csv = server.send("GET", "/api/v1/fleet/states?format=csv", null, admin);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).startsWith("project,state,version,size,resources");
        assertThat(lines).hasSize(4);
        assertThat(lines[1]).startsWith("default,network,1,");
    }
}
