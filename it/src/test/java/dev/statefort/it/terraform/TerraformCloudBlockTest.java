package dev.statefort.it.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import dev.statefort.it.support.TerraformCli;
import dev.statefort.it.support.TerraformCli.Result;
import dev.statefort.server.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 30 with the real {@code terraform} over HTTPS, trusting a private CA made by the test ({@code
 * SSL_CERT_FILE}) and authenticated by the CLI configuration's {@code credentials} block: a {@code cloud}
 * block by name (init, apply, plan, destroy, state pull), by tags ({@code workspace new/list/select}), a
 * {@code backend "remote"} with a prefix, {@code terraform output} and {@code terraform_remote_state} with an
 * outputs token, and the one lock shared with {@code /tf/} both ways.
 */
class TerraformCloudBlockTest {
    private static final String SUITE = "the TFE API with real terraform";
    private static final Duration WAIT = Duration.ofSeconds(120);

    static TestCertificates certs;

    @RegisterExtension
    static final RealServer node =
            RealServer.startedBy(TerraformCloudBlockTest::startHttps).needingTerraform(SUITE);

    static StatefortProcess startHttps(Path dir, String logName) throws Exception {
        certs = TestCertificates.create(Files.createDirectories(node.dir().resolve("pki")));
        return StatefortProcess.startHttps(
                node.dir().resolve("server"),
                logName,
                certs.trustingContext(),
                "--tls-cert",
                certs.certPem().toString(),
                "--tls-key",
                certs.keyPem().toString());
    }

    private static final String MAIN_TF = """
            variable "input" {
              type    = string
              default = "one"
            }

            resource "terraform_data" "thing" {
              input = var.input
            }

            output "vpc_id" {
              value = "vpc-${terraform_data.thing.output}"
            }

            output "ports" {
              value = [80, 443]
            }

            output "db_password" {
              value     = "hunter2"
              sensitive = true
            }
            """;

    /** {@code host:port} as a {@code cloud} block and the CLI's credentials name the server. */
    private static String host() {
        return "localhost:" + node.server().port();
    }

    private static String cloudBlock(String workspaces) {
        return "terraform {\n  cloud {\n    hostname     = \"" + host() + "\"\n    organization = \"default\"\n"
                + "    workspaces {\n      " + workspaces + "\n    }\n  }\n}\n";
    }

    /** A working directory whose CLI configuration holds {@code token} for the server; {@code extraEnv} added. */
    private static TerraformCli terraform(String dir, String token, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("SSL_CERT_FILE", certs.caPem().toString());
        TerraformCli tf = new TerraformCli(node.terraform(), node.dir().resolve(dir), env);
        try {
            Files.writeString(
                    tf.workDir().resolve(".home/terraformrc"),
                    "credentials \"" + host() + "\" {\n  token = \"" + token + "\"\n}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tf;
    }

    private static TerraformCli terraform(String dir, String token) {
        return terraform(dir, token, Map.of());
    }

    /** A workspace made through the TFE API, as a platform team would before handing it to a team. */
    private static void createWorkspace(String name, String tag) {
        String tags = tag == null
                ? ""
                : ",\"relationships\":{\"tags\":{\"data\":[{\"type\":\"tags\",\"attributes\":{\"name\":\"" + tag
                        + "\"}}]}}";
        StatefortClient.Response created = node.admin()
                .send(
                        "POST",
                        "/api/v2/organizations/default/workspaces",
                        ("{\"data\":{\"type\":\"workspaces\",\"attributes\":{\"name\":\"" + name + "\"}" + tags + "}}")
                                .getBytes(StandardCharsets.UTF_8),
                        "Content-Type",
                        "application/vnd.api+json");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
    }

    private static JsonNode versions(String state) {
        return node.admin().versions("default", state).path("items");
    }

    private static JsonNode workspace(String name) {
        return node.admin()
                .getJson("/api/v2/organizations/default/workspaces/" + name)
                .path("data");
    }

    @Test
    void aCloudBlockByNameAppliesPlansAndDestroysTheSameStateTfServes() {
        String writer = node.createToken("default", "write", "cloud-by-name");
        TerraformCli tf = terraform("by-name", writer);
        tf.writeFile("main.tf", cloudBlock("name = \"cloud-app\"") + MAIN_TF);

        tf.run(WAIT, "init", "-no-color").requireSuccess();
        assertThat(workspace("cloud-app")
                        .path("attributes")
                        .path("terraform-version")
                        .asText())
                .as("init created the workspace and set its version")
                .isEqualTo("1.11.4");
        Result apply = tf.run(WAIT, "apply", "-auto-approve", "-no-color", "-var", "input=one");
        apply.requireSuccess();
        Result plan = tf.run(WAIT, "plan", "-detailed-exitcode", "-no-color", "-var", "input=one");
        assertThat(plan.exitCode()).as("no changes after the apply: %s", plan).isEqualTo(0);

        JsonNode written = versions("cloud-app");
        assertThat(written).hasSize(1);
        assertThat(written.get(0).path("lockId").asText())
                .as("written under the TFE lock")
                .startsWith("tfe-");
        assertThat(node.admin()
                        .getJson("/api/v1/projects/default/states/cloud-app/lock")
                        .path("locked")
                        .asBoolean(true))
                .as("the lock was released")
                .isFalse();
        Result pull = tf.run(WAIT, "state", "pull");
        pull.requireSuccess();
        byte[] overHttp = node.admin().get("/tf/default/cloud-app").body();
        assertThat(pull.stdout().strip()).isEqualTo(new String(overHttp, StandardCharsets.UTF_8).strip());

        Result output = tf.run(WAIT, "output", "-raw", "vpc_id");
        output.requireSuccess();
        assertThat(output.stdout()).isEqualTo("vpc-one");

        tf.run(WAIT, "destroy", "-auto-approve", "-no-color").requireSuccess();
        assertThat(versions("cloud-app")).hasSize(2);
        assertThat(versions("cloud-app").get(0).path("resourceCount").asInt(-1))
                .as("destroyed")
                .isEqualTo(0);
        assertThat(versions("cloud-app").get(1).path("resourceCount").asInt(-1)).isEqualTo(1);
    }

    @Test
    void aCloudBlockByTagsCreatesListsAndSelectsWorkspaces() {
        String writer = node.createToken("default", "write", "cloud-by-tags");
        createWorkspace("team-dev", "team-a");
        // an HCP project in the block is accepted and has no effect: the organization groups the states
        String config = cloudBlock("tags = [\"team-a\"]\n      project = \"platform\"") + MAIN_TF;
        TerraformCli first = terraform("by-tags", writer, Map.of("TF_WORKSPACE", "team-dev"));
        first.writeFile("main.tf", config);
        first.run(WAIT, "init", "-no-color").requireSuccess();

        TerraformCli tf = terraform("by-tags", writer);
        tf.run(WAIT, "workspace", "new", "-no-color", "team-prod").requireSuccess();
        assertThat(workspace("team-prod").path("attributes").path("tag-names"))
                .extracting(JsonNode::asText)
                .as("created with the configuration's tags")
                .contains("team-a");
        createWorkspace("untagged", null);
        Result list = tf.run(WAIT, "workspace", "list", "-no-color");
        list.requireSuccess();
        assertThat(list.stdout()).contains("team-dev").contains("team-prod").doesNotContain("untagged");
        tf.run(WAIT, "workspace", "select", "-no-color", "team-dev").requireSuccess();
        tf.run(WAIT, "apply", "-auto-approve", "-no-color", "-var", "input=tagged")
                .requireSuccess();
        assertThat(versions("team-dev")).hasSize(1);
        assertThat(versions("team-prod")).isEmpty();
    }

    @Test
    void aRemoteBackendWithAPrefixMapsWorkspacesToStates() {
        String writer = node.createToken("default", "write", "remote-prefix");
        createWorkspace("net-dev", null);
        String config = "terraform {\n  backend \"remote\" {\n    hostname     = \"" + host()
                + "\"\n    organization = \"default\"\n    workspaces {\n      prefix = \"net-\"\n    }\n  }\n}\n"
                + MAIN_TF;
        TerraformCli dev = terraform("remote-prefix", writer, Map.of("TF_WORKSPACE", "dev"));
        dev.writeFile("main.tf", config);
        dev.run(WAIT, "init", "-no-color").requireSuccess();
        dev.run(WAIT, "apply", "-auto-approve", "-no-color", "-var", "input=remote")
                .requireSuccess();
        assertThat(versions("net-dev")).hasSize(1);

        TerraformCli tf = terraform("remote-prefix", writer);
        tf.run(WAIT, "workspace", "new", "-no-color", "stg").requireSuccess();
        assertThat(workspace("net-stg").path("attributes").path("name").asText())
                .isEqualTo("net-stg");
        Result list = tf.run(WAIT, "workspace", "list", "-no-color");
        assertThat(list.stdout()).contains("dev").contains("stg");
    }

    @Test
    void anOutputsTokenReadsOutputsThroughTerraformOutputAndRemoteState() {
        String writer = node.createToken("default", "write", "producer");
        TerraformCli producer = terraform("producer", writer);
        producer.writeFile("main.tf", cloudBlock("name = \"producer\"") + MAIN_TF);
        producer.run(WAIT, "init", "-no-color").requireSuccess();
        producer.run(WAIT, "apply", "-auto-approve", "-no-color", "-var", "input=123")
                .requireSuccess();

        String outputs = node.createToken("default", "outputs", "consumer");
        // terraform output in a cloud block with the outputs token: the outputs API, typed
        TerraformCli reader = terraform("producer-outputs", outputs);
        reader.writeFile("main.tf", cloudBlock("name = \"producer\"") + MAIN_TF);
        reader.run(WAIT, "init", "-no-color").requireSuccess();
        Result vpc = reader.run(WAIT, "output", "-raw", "vpc_id");
        vpc.requireSuccess();
        assertThat(vpc.stdout()).isEqualTo("vpc-123");
        Result all = reader.run(WAIT, "output", "-json");
        all.requireSuccess();
        assertThat(all.stdout()).contains("443").doesNotContain("hunter2");

        // terraform_remote_state with backend = "remote": the outputs-only view, as /tf/ gives it
        TerraformCli consumer = terraform("consumer", outputs);
        consumer.writeFile("main.tf", """
                data "terraform_remote_state" "net" {
                  backend = "remote"
                  config = {
                    hostname     = "%s"
                    organization = "default"
                    workspaces = {
                      name = "producer"
                    }
                  }
                }

                output "vpc" {
                  value = data.terraform_remote_state.net.outputs.vpc_id
                }

                output "names" {
                  value = sort(keys(data.terraform_remote_state.net.outputs))
                }
                """.formatted(host()));
        consumer.run(WAIT, "init", "-no-color").requireSuccess();
        consumer.run(WAIT, "apply", "-auto-approve", "-no-color").requireSuccess();
        Result read = consumer.run(WAIT, "output", "-json");
        read.requireSuccess();
        assertThat(read.stdout()).contains("vpc-123").contains("ports").doesNotContain("db_password");
    }

    /**
     * The project's snapshot interval reaches the client as {@code X-Terraform-Snapshot-Interval}:
     * Terraform's trace says what it took (20 s by default; 0 turns intermediate snapshots off).
     */
    @Test
    void theProjectsSnapshotIntervalReachesTheClient() {
        String writer = node.createToken("default", "write", "snapshots");
        TerraformCli tf = terraform("snapshots", writer);
        tf.writeFile("main.tf", cloudBlock("name = \"snapshots\"") + MAIN_TF);
        tf.run(WAIT, "init", "-no-color").requireSuccess();
        tf.run(WAIT, "apply", "-auto-approve", "-no-color").requireSuccess();
        TerraformCli traced = terraform("snapshots", writer, Map.of("TF_LOG", "TRACE"));
        Result byDefault = traced.run(WAIT, "plan", "-no-color");
        byDefault.requireSuccess();
        assertThat(byDefault.stderr()).contains("Intermediate state interval is set by header to 20s");

        node.json("PATCH", "/api/v1/projects/default/settings", "{\"snapshotIntervalSeconds\": 0}");
        try {
            Result off = traced.run(WAIT, "plan", "-no-color");
            off.requireSuccess();
            assertThat(off.stderr()).contains("Intermediate state interval is set by header to 0s");
        } finally {
            node.json("PATCH", "/api/v1/projects/default/settings", "{\"snapshotIntervalSeconds\": null}");
        }
    }

    @Test
    void aLockTakenThroughTfMakesACloudApplyWaitAndTheReverse() {
        String writer = node.createToken("default", "write", "waiting");
        TerraformCli cloud = terraform("waits-cloud", writer);
        cloud.writeFile("main.tf", cloudBlock("name = \"shared-lock\"") + MAIN_TF);
        cloud.run(WAIT, "init", "-no-color").requireSuccess();

        String lockInfo = "{\"ID\":\"held-over-http\",\"Operation\":\"OperationTypeApply\",\"Info\":\"\","
                + "\"Who\":\"ops@laptop\",\"Version\":\"1.11.4\",\"Created\":\"2026-12-07T10:00:00Z\",\"Path\":\"\"}";
        StatefortClient admin = node.admin();
        assertThat(admin.send("LOCK", "/tf/default/shared-lock", lockInfo.getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
        try (TerraformCli.Background apply =
                cloud.start("apply", "-auto-approve", "-no-color", "-lock-timeout=90s", "-var", "input=waited")) {
            sleep(4_000);
            assertThat(apply.isAlive())
                    .as("the cloud apply waits: %s", apply.output())
                    .isTrue();
            assertThat(versions("shared-lock")).isEmpty();
            assertThat(admin.send("UNLOCK", "/tf/default/shared-lock", lockInfo.getBytes(StandardCharsets.UTF_8))
                            .status())
                    .isEqualTo(200);
            apply.await(WAIT).requireSuccess();
        }
        assertThat(versions("shared-lock")).hasSize(1);

        // the reverse: a TFE lock makes an http-backend apply wait
        String ws = workspace("shared-lock").path("id").asText();
        StatefortClient tfe = admin.withToken(writer);
        assertThat(tfe.send(
                                "POST",
                                "/api/v2/workspaces/" + ws + "/actions/lock",
                                new byte[0],
                                "Content-Type",
                                "application/vnd.api+json")
                        .status())
                .isEqualTo(200);
        TerraformCli http = new TerraformCli(
                node.terraform(),
                node.dir().resolve("waits-http"),
                Map.of(
                        "TF_HTTP_USERNAME",
                        "terraform",
                        "TF_HTTP_PASSWORD",
                        writer,
                        "TF_HTTP_CLIENT_CA_CERTIFICATE_PEM",
                        readString(certs.caPem())));
        http.writeHttpBackend(node.baseUrl() + "/tf/default/shared-lock");
        http.writeFile("main.tf", MAIN_TF);
        http.run(WAIT, "init", "-no-color").requireSuccess();
        try (TerraformCli.Background apply =
                http.start("apply", "-auto-approve", "-no-color", "-lock-timeout=90s", "-var", "input=reverse")) {
            sleep(4_000);
            assertThat(apply.isAlive())
                    .as("the http-backend apply waits: %s", apply.output())
                    .isTrue();
            assertThat(tfe.send(
                                    "POST",
                                    "/api/v2/workspaces/" + ws + "/actions/unlock",
                                    new byte[0],
                                    "Content-Type",
                                    "application/vnd.api+json")
                            .status())
                    .isEqualTo(200);
            apply.await(WAIT).requireSuccess();
        }
        assertThat(versions("shared-lock")).hasSize(2);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
