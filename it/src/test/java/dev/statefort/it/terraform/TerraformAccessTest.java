package dev.statefort.it.terraform;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.TerraformCli;
import dev.statefort.it.support.TerraformCli.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5 with the real {@code terraform}: an {@code outputs} token read through {@code terraform_remote_state}
 * (only non-sensitive outputs unless an admin allows a sensitive one; nothing else of the state, no REST API, no lock,
 * no write), a state alias ({@code /tf/alias/{id}} with its own Basic credentials; rotate, revoke) and a state-scoped
 * write token. On the JVM's shared node (states of its own in {@code default}); server-side effects are checked with
 * the admin token over REST.
 */
class TerraformAccessTest {
    private static final String SUITE = "real-terraform access";
    private static final String PROJECT = "default";
    /** What terraform's http backend says for a 403 (a 401 is "... requires auth"). */
    private static final String FORBIDDEN = "HTTP remote state endpoint invalid auth";

    static StatefortClient admin;
    static String writeToken;

    @RegisterExtension
    static final RealServer node = RealServer.shared().needingTerraform(SUITE).setUp(n -> {
        admin = n.admin();
        writeToken = n.createToken(PROJECT, "write", "access-it-writer");
    });

    // ---- a. outputs-only ---------------------------------------------------------------------------------------

    private static final String PRODUCER_TF = """
            variable "attribute" {
              type = string
            }

            variable "shared" {
              type = string
            }

            variable "secret" {
              type      = string
              sensitive = true
            }

            resource "terraform_data" "inner" {
              input = var.attribute
            }

            output "shared" {
              value = var.shared
            }

            output "other" {
              value = "other-value"
            }

            output "db_password" {
              value     = var.secret
              sensitive = true
            }
            """;

    private static final String CONSUMER_TF = """
            variable "token" {
              type      = string
              sensitive = true
            }

            data "terraform_remote_state" "producer" {
              backend = "http"
              config = {
                address  = "%s"
                username = "x"
                password = var.token
              }
            }

            output "shared" {
              value = data.terraform_remote_state.producer.outputs.shared
            }

            output "other" {
              value = try(data.terraform_remote_state.producer.outputs.other, "absent")
            }

            output "secret" {
              value     = try(data.terraform_remote_state.producer.outputs.db_password, "absent")
              sensitive = true
            }
            """;

    @Test
    void outputsTokenReadsOnlyNonSensitiveOutputsThroughTerraformRemoteStateUnlessAnAdminAllowsOne()
            throws IOException {
        String state = "outputs-producer";
        String unique = UUID.randomUUID().toString();
        String attribute = "resource-attribute-" + unique;
        String shared = "shared-" + unique;
        String secret = "secret-" + unique;
        TerraformCli producer = workspace(state, node.baseUrl() + statePath(state), writeEnv(writeToken));
        producer.writeFile("main.tf", PRODUCER_TF);
        producer.run("init", "-no-color").requireSuccess();
        producer.run(
                        "apply",
                        "-auto-approve",
                        "-no-color",
                        "-var",
                        "attribute=" + attribute,
                        "-var",
                        "shared=" + shared,
                        "-var",
                        "secret=" + secret)
                .requireSuccess();
        JsonNode real = parse(admin.get(statePath(state)).body());
        assertThat(real.path("outputs").path("db_password").path("sensitive").asBoolean())
                .isTrue();

        String outputsToken = node.server().createToken(PROJECT, "outputs", "access-it-outputs");
        TerraformCli consumer = new TerraformCli(
                node.terraform(), node.dir().resolve("outputs-consumer"), Map.of("TF_VAR_token", outputsToken));
        consumer.writeFile("main.tf", CONSUMER_TF.formatted(node.baseUrl() + statePath(state)));
        consumer.run("init", "-no-color").requireSuccess();
        consumer.run("apply", "-auto-approve", "-no-color").requireSuccess();

        JsonNode seen =
                parse(consumer.run("output", "-json").requireSuccess().stdout().getBytes(StandardCharsets.UTF_8));
        assertThat(seen.path("shared").path("value").asText()).isEqualTo(shared);
        assertThat(seen.path("other").path("value").asText()).isEqualTo("other-value");
        assertThat(seen.path("secret").path("value").asText())
                .as("the sensitive output is not served to an outputs token by default")
                .isEqualTo("absent");

        // the same token: the backend GET is a synthesized state, everything else is refused
        StatefortClient reader = node.server().client(outputsToken).withBasicAuth();
        Response read = reader.get(statePath(state));
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        JsonNode synthesized = read.json();
        assertThat(synthesized.path("serial").asLong())
                .isEqualTo(real.path("serial").asLong());
        assertThat(synthesized.path("lineage").asText())
                .isEqualTo(real.path("lineage").asText());
        assertThat(synthesized.path("version").asInt())
                .isEqualTo(real.path("version").asInt());
        assertThat(synthesized.path("terraform_version").asText())
                .isEqualTo(real.path("terraform_version").asText());
        assertThat(synthesized.path("resources").isArray()).isTrue();
        assertThat(synthesized.path("resources")).isEmpty();
        assertThat(synthesized.path("outputs").path("shared").path("value").asText())
                .isEqualTo(shared);
        assertThat(synthesized.path("outputs").has("db_password")).isFalse();
        assertThat(read.text())
                .as("no resource attribute and no sensitive value in the body")
                .doesNotContain(attribute)
                .doesNotContain(secret)
                .doesNotContain("terraform_data");

        String api = "/api/v1/projects/" + PROJECT + "/states/" + state;
        assertThat(reader.get(api + "/resources").status()).isEqualTo(403);
        assertThat(reader.get(api + "/versions/1/content").status()).isEqualTo(403);
        assertThat(reader.get(api + "/versions").status()).isEqualTo(403);
        assertThat(reader.get(api + "/outputs").status()).isEqualTo(403);
        String lockId = newLockId();
        Response lock =
                reader.send("LOCK", statePath(state) + "/lock", lockInfo(lockId), "Content-Type", "application/json");
        assertThat(lock.status()).as("%s", lock).isEqualTo(403);
        Response write = reader.write(
                statePath(state),
                Fixtures.terraformState(
                        real.path("serial").asLong() + 1, real.path("lineage").asText(), "x"),
                null);
        assertThat(write.status()).as("%s", write).isEqualTo(403);
        // terraform with the outputs token as its backend credentials: init reads, plan cannot take the lock
        TerraformCli asBackend =
                workspace("outputs-as-backend", node.baseUrl() + statePath(state), writeEnv(outputsToken));
        asBackend.writeFile("main.tf", PRODUCER_TF);
        asBackend.run("init", "-no-color").requireSuccess();
        Result plan = asBackend.run("plan", "-no-color", "-var", "attribute=x", "-var", "shared=x", "-var", "secret=x");
        assertThat(plan.exitCode()).as("%s", plan).isNotZero();
        assertThat(plan.output()).contains("Error acquiring the state lock").contains(FORBIDDEN);
        assertThat(admin.getJson(api + "/lock").path("locked").asBoolean(true)).isFalse();
        assertThat(admin.versions(PROJECT, state).path("items")).hasSize(1);

        // an admin allows the sensitive output and narrows the others to "shared": terraform_remote_state follows
        Response allowed = admin.send(
                "PUT",
                api + "/outputs-access",
                "{\"outputsAllowed\": [\"shared\"], \"sensitiveOutputsAllowed\": [\"db_password\"]}"
                        .getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/json");
        assertThat(allowed.status()).as("%s", allowed).isEqualTo(200);
        consumer.run("apply", "-auto-approve", "-no-color").requireSuccess();

        JsonNode after =
                parse(consumer.run("output", "-json").requireSuccess().stdout().getBytes(StandardCharsets.UTF_8));
        assertThat(after.path("shared").path("value").asText()).isEqualTo(shared);
        assertThat(after.path("secret").path("value").asText()).isEqualTo(secret);
        assertThat(after.path("other").path("value").asText())
                .as("outputsAllowed lists only 'shared' now")
                .isEqualTo("absent");
        assertThat(reader.get(statePath(state)).text())
                .as("still no resource attribute")
                .doesNotContain(attribute);
    }

    // ---- b. alias ----------------------------------------------------------------------------------------------

    @Test
    void aliasAddressWorksWithTerraformAndRotateAndRevokeCutOffTheOldCredentials() {
        String state = "alias-target";
        Response created = admin.send(
                "POST",
                "/api/v1/projects/" + PROJECT + "/aliases",
                ("{\"state\":\"" + state + "\",\"permission\":\"write\"}").getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/json");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode alias = created.json();
        String id = alias.path("alias").path("id").asText();
        String username = alias.path("alias").path("username").asText();
        String address = alias.path("alias").path("address").asText();
        String password = alias.path("password").asText();
        assertThat(address).isEqualTo(node.baseUrl() + "/tf/alias/" + id);
        assertThat(alias.path("environment").path("TF_HTTP_USERNAME").asText()).isEqualTo(username);
        assertThat(alias.path("environment").path("TF_HTTP_PASSWORD").asText()).isEqualTo(password);

        Path work = node.dir().resolve("alias-work");
        TerraformCli tf = new TerraformCli(node.terraform(), work, environment(alias));
        tf.writeFile("backend.tf", alias.path("backendBlock").asText());
        tf.writeFile("main.tf", TerraformEndToEndTest.MAIN_TF);
        tf.run("init", "-no-color").requireSuccess();
        tf.run("apply", "-auto-approve", "-no-color", "-var", "input=via-alias").requireSuccess();

        JsonNode versions = admin.versions(PROJECT, state).path("items");
        assertThat(versions)
                .as("the alias wrote the real state %s/%s", PROJECT, state)
                .hasSize(1);
        assertThat(versions.get(0).path("lockId").asText()).isNotBlank();
        assertThat(TerraformWorkspace.inputValue(
                        parse(admin.get(statePath(state)).body())))
                .isEqualTo("via-alias");
        assertThat(admin.getJson(api(state) + "/lock").path("locked").asBoolean(true))
                .isFalse();

        // a lock taken through the alias is the real state's lock
        StatefortClient anonymous = admin.anonymous();
        String[] aliasAuth = basic(username, password);
        String lockId = newLockId();
        Response locked = anonymous.send("LOCK", "/tf/alias/" + id + "/lock", lockInfo(lockId), withJson(aliasAuth));
        assertThat(locked.status()).as("%s", locked).isEqualTo(200);
        JsonNode restLock = admin.getJson(api(state) + "/lock");
        assertThat(restLock.path("locked").asBoolean()).isTrue();
        assertThat(restLock.path("holder").path("id").asText()).isEqualTo(lockId);
        Response direct = admin.send(
                "LOCK", statePath(state) + "/lock", lockInfo(newLockId()), "Content-Type", "application/json");
        assertThat(direct.status()).as("%s", direct).isEqualTo(423);
        assertThat(direct.json().path("ID").asText()).isEqualTo(lockId);
        Result blocked = tf.run("plan", "-no-color", "-var", "input=via-alias");
        assertThat(blocked.exitCode()).as("%s", blocked).isNotZero();
        assertThat(blocked.output()).contains("Error acquiring the state lock").contains(lockId);
        Response unlocked =
                anonymous.send("UNLOCK", "/tf/alias/" + id + "/lock", lockInfo(lockId), withJson(aliasAuth));
        assertThat(unlocked.status()).as("%s", unlocked).isEqualTo(200);

        // the alias's credentials reach no other state
        Response other = anonymous.send("GET", statePath("other"), (byte[]) null, aliasAuth);
        assertThat(other.status()).as("%s", other).isEqualTo(403);
        Response real = anonymous.send("GET", statePath(state), (byte[]) null, aliasAuth);
        assertThat(real.status())
                .as("not even its own state's real address: %s", real)
                .isEqualTo(403);
        Response restApi = anonymous.send("GET", api(state) + "/versions", (byte[]) null, aliasAuth);
        assertThat(restApi.status()).as("%s", restApi).isEqualTo(403);
        assertThat(anonymous.get("/tf/alias/" + id).status())
                .as("no credentials")
                .isEqualTo(401);

        // rotate: the old password stops working, the new one works
        Response rotated =
                admin.send("POST", "/api/v1/projects/" + PROJECT + "/aliases/" + id + "/rotate", (byte[]) null);
        assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
        String newPassword = rotated.json().path("password").asText();
        assertThat(newPassword).isNotBlank().isNotEqualTo(password);
        Result stale = tf.run("plan", "-no-color", "-var", "input=via-alias");
        assertThat(stale.exitCode()).as("%s", stale).isNotZero();
        assertThat(stale.output()).contains(FORBIDDEN);
        TerraformCli rotatedTf = new TerraformCli(node.terraform(), work, environment(rotated.json()));
        Result plan = rotatedTf.run("plan", "-detailed-exitcode", "-no-color", "-var", "input=via-alias");
        assertThat(plan.exitCode())
                .as("the new password works, no changes: %s", plan)
                .isZero();
        rotatedTf
                .run("apply", "-auto-approve", "-no-color", "-var", "input=rotated")
                .requireSuccess();
        assertThat(admin.versions(PROJECT, state).path("items")).hasSize(2);

        // revoke: init and plan fail
        Response revoked = admin.send("DELETE", "/api/v1/projects/" + PROJECT + "/aliases/" + id, (byte[]) null);
        assertThat(revoked.status()).as("%s", revoked).isIn(200, 204);
        Result revokedPlan = rotatedTf.run("plan", "-no-color", "-var", "input=rotated");
        assertThat(revokedPlan.exitCode()).as("%s", revokedPlan).isNotZero();
        assertThat(revokedPlan.output()).contains(FORBIDDEN);
        Result revokedInit = rotatedTf.run("init", "-no-color", "-reconfigure");
        assertThat(revokedInit.exitCode()).as("%s", revokedInit).isNotZero();
        assertThat(revokedInit.output()).contains(FORBIDDEN);
        assertThat(TerraformWorkspace.inputValue(
                        parse(admin.get(statePath(state)).body())))
                .as("the real state keeps what the alias wrote")
                .isEqualTo("rotated");
        assertThat(admin.getJson(api(state) + "/lock").path("locked").asBoolean(true))
                .isFalse();
    }

    // ---- c. state-scoped token ---------------------------------------------------------------------------------

    @Test
    void stateScopedWriteTokenWorksOnItsStateAndInitAgainstAnotherStateFails() {
        String state = "scoped-own";
        String token = node.server().createStateToken(PROJECT, state, "write", "access-it-scoped");
        TerraformCli own = workspace(state, node.baseUrl() + statePath(state), writeEnv(token));
        own.writeFile("main.tf", TerraformEndToEndTest.MAIN_TF);
        own.run("init", "-no-color").requireSuccess();
        own.run("apply", "-auto-approve", "-no-color", "-var", "input=scoped").requireSuccess();
        Result plan = own.run("plan", "-detailed-exitcode", "-no-color", "-var", "input=scoped");
        assertThat(plan.exitCode()).as("%s", plan).isZero();
        assertThat(admin.versions(PROJECT, state).path("items")).hasSize(1);
        assertThat(admin.getJson(api(state) + "/lock").path("locked").asBoolean(true))
                .isFalse();

        String otherState = "scoped-other";
        TerraformCli other = workspace(otherState, node.baseUrl() + statePath(otherState), writeEnv(token));
        other.writeFile("main.tf", TerraformEndToEndTest.MAIN_TF);
        Result refused = other.run("init", "-no-color");

        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(refused.output()).contains(FORBIDDEN);
        assertThat(admin.stateSummary(PROJECT, otherState)).isNull();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static String statePath(String state) {
        return StatefortClient.statePath(PROJECT, state);
    }

    private static String api(String state) {
        return "/api/v1/projects/" + PROJECT + "/states/" + state;
    }

    private static Map<String, String> writeEnv(String token) {
        return Map.of("TF_HTTP_USERNAME", "terraform", "TF_HTTP_PASSWORD", token);
    }

    /** {@code TF_HTTP_USERNAME}/{@code TF_HTTP_PASSWORD} from an alias response's {@code environment}. */
    private static Map<String, String> environment(JsonNode aliasResponse) {
        Map<String, String> env = new HashMap<>();
        aliasResponse
                .path("environment")
                .fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        assertThat(env).containsOnlyKeys("TF_HTTP_USERNAME", "TF_HTTP_PASSWORD");
        return env;
    }

    private static String[] basic(String username, String password) {
        String credentials = username + ":" + password;
        return new String[] {
            "Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))
        };
    }

    private static String[] withJson(String[] headers) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/json";
        return all;
    }

    private static TerraformCli workspace(String name, String address, Map<String, String> env) {
        TerraformCli tf = new TerraformCli(node.terraform(), node.dir().resolve(name), env);
        return tf.writeHttpBackend(address);
    }

    private static JsonNode parse(byte[] json) {
        return TerraformWorkspace.parse(json);
    }
}
