package dev.statefort.it.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.TerraformCli;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 32, state surgery with the real {@code terraform}: a resource moved from one state to another
 * on the server (its configuration moved too) plans clean in both; reverting the surgery's session on
 * each state brings back the first configuration, which plans clean again.
 */
class TerraformSurgeryTest {
    private static final String SUITE = "real-terraform surgery";
    private static final String PROJECT = "default";
    private static final String API = "/api/v1/projects/" + PROJECT + "/states/";

    static StatefortClient admin;
    static String writeToken;

    @RegisterExtension
    static final RealServer node = RealServer.shared().needingTerraform(SUITE).setUp(n -> {
        admin = n.admin();
        writeToken = n.createToken(PROJECT, "write", "surgery-it-writer");
    });

    private static final String NETWORK = """
            resource "terraform_data" "vpc" {
              input = "vpc"
            }
            """;
    private static final String DNS = """
            resource "terraform_data" "zone" {
              input = "zone"
            }
            """;
    private static final String MOVING = """
            resource "terraform_data" "record" {
              input = "record-of-the-zone"
            }
            """;

    private static TerraformCli workspace(String state) {
        return new TerraformCli(
                        node.terraform(),
                        node.dir().resolve(state),
                        Map.of("TF_HTTP_USERNAME", "terraform", "TF_HTTP_PASSWORD", writeToken))
                .writeHttpBackend(node.baseUrl() + StatefortClient.statePath(PROJECT, state));
    }

    /** {@code terraform plan -detailed-exitcode}: 0 when the state matches the configuration. */
    private static int plan(TerraformCli tf) {
        TerraformCli.Result r = tf.run("plan", "-detailed-exitcode", "-no-color", "-input=false");
        assertThat(r.exitCode()).as("plan: %s %s", r.stdout(), r.stderr()).isIn(0, 2);
        return r.exitCode();
    }

    @Test
    void aResourceMovedBetweenStatesOnTheServerPlansCleanAndARevertUndoesIt() {
        TerraformCli network = workspace("surgery-network");
        network.writeFile("main.tf", NETWORK + MOVING);
        network.run("init", "-no-color").requireSuccess();
        network.run("apply", "-auto-approve", "-no-color").requireSuccess();
        TerraformCli dns = workspace("surgery-dns");
        dns.writeFile("main.tf", DNS);
        dns.run("init", "-no-color").requireSuccess();
        dns.run("apply", "-auto-approve", "-no-color").requireSuccess();
        String recordId = admin.getJson("/tf/default/surgery-network").toString();

        StatefortClient.Response dry = admin.send(
                "POST",
                API + "surgery-network/surgery",
                ("{\"dryRun\":true,\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.record\","
                                + "\"state\":\"surgery-dns\"}]}")
                        .getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/json");
        assertThat(dry.status()).as(dry.text()).isEqualTo(200);
        assertThat(dry.text()).contains("\"removed\":[\"terraform_data.record\"]");

        StatefortClient.Response done = admin.send(
                "POST",
                API + "surgery-network/surgery",
                ("{\"operations\":[{\"op\":\"mv\",\"from\":\"terraform_data.record\",\"state\":\"surgery-dns\"}]}")
                        .getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/json");
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        JsonNode states = done.json().path("states");
        assertThat(states).hasSize(2);

        network.writeFile("main.tf", NETWORK);
        dns.writeFile("main.tf", DNS + MOVING);
        assertThat(plan(network))
                .as("the source plans clean without the moved resource")
                .isZero();
        assertThat(plan(dns)).as("the target plans clean with it").isZero();
        assertThat(admin.getJson("/tf/default/surgery-dns").toString())
                .as("the moved object kept its ID")
                .contains(recordId.replaceAll(
                        "(?s).*\"id\":\"([0-9a-f-]{36})\",\"input\":\\{\"value\":\"record.*", "$1"));

        for (JsonNode s : states) {
            String state = s.path("state").asText();
            String lockId = admin.getJson(
                            API + state + "/versions/" + s.path("toVersion").asLong())
                    .path("lockId")
                    .asText();
            assertThat(admin.send("POST", API + state + "/sessions/" + lockId + "/revert", new byte[0])
                            .status())
                    .isEqualTo(200);
        }
        network.writeFile("main.tf", NETWORK + MOVING);
        dns.writeFile("main.tf", DNS);
        assertThat(plan(network))
                .as("after the revert, the first configuration plans clean")
                .isZero();
        assertThat(plan(dns)).isZero();
    }
}
