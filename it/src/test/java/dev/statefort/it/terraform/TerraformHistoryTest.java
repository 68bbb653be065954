package dev.statefort.it.terraform;

import static dev.statefort.it.support.Fixtures.lockInfo;
import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.CliResult;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.TerraformCli;
import dev.statefort.it.support.TerraformCli.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4 with the real {@code terraform} binary: restoring an old version gives terraform back exactly that
 * infrastructure, and the destructive-write guard in {@code enforce} mode refuses {@code terraform destroy} and
 * {@code state push -force} of an older state without losing anything, until an admin grants a permit (REST API or
 * the jar's CLI). On the JVM's shared node (states of its own); project {@value #PROJECT} keeps the default guard
 * ({@code warn}), project {@value #GUARDED} is switched to {@code enforce} through the settings API.
 *
 * <p>What Terraform 1.11.4 does with a refused write (409): it prints only {@code HTTP error: 409} (the http backend
 * never shows a write's response body), exits 1, releases its lock, and saves the state it could not write, byte for
 * byte the body the server quarantined, as {@code errored.tfstate}. No retries: a 409 is not retryable.
 */
class TerraformHistoryTest {
    private static final String SUITE = "real-terraform history and guard";
    static final String PROJECT = "default";
    static final String GUARDED = "history-guarded";
    private static final AtomicInteger STATES = new AtomicInteger();

    static StatefortClient admin;
    static Map<String, String> writeTokens;

    @RegisterExtension
    static final RealServer node = RealServer.shared().needingTerraform(SUITE).setUp(n -> {
        n.createProject(GUARDED);
        writeTokens = Map.of(
                PROJECT, n.createToken(PROJECT, "write", "terraform-history"),
                GUARDED, n.createToken(GUARDED, "write", "terraform-guarded"));
        admin = n.admin();
        n.json("PATCH", "/api/v1/projects/" + GUARDED + "/settings", "{\"guard\":\"enforce\"}", 200);
        assertThat(admin.getJson("/api/v1/projects/" + GUARDED + "/settings")
                        .path("guard")
                        .asText())
                .isEqualTo("enforce");
        assertThat(admin.getJson("/api/v1/projects/" + PROJECT + "/settings")
                        .path("guard")
                        .asText())
                .isEqualTo("warn");
    });

    // ---- restore -------------------------------------------------------------------------------------------------

    @Test
    void restoringAnOldVersionMakesItsConfigurationPlanWithNoChanges() {
        Workspace ws = newWorkspace(PROJECT, "restore");
        ws.tf.writeFile("main.tf", C1);
        ws.tf.run("init", "-no-color").requireSuccess();
        ws.tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
        JsonNode c1Version = ws.versions().get(0);
        long n = c1Version.path("number").asLong();
        JsonNode c1State = parse(admin.versionContent(ws.project, ws.state, n));
        assertThat(addresses(c1State)).containsExactly("terraform_data.app", "terraform_data.db", "terraform_data.net");

        ws.tf.writeFile("main.tf", C2);
        ws.tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
        JsonNode c2Version = ws.versions().get(0);
        assertThat(c2Version.path("number").asLong()).isGreaterThan(n);
        assertThat(addresses(ws.serverState()))
                .containsExactly("terraform_data.app", "terraform_data.cache", "terraform_data.net");
        ws.tf.writeFile("main.tf", C1);
        Result before = ws.tf.run("plan", "-detailed-exitcode", "-no-color");
        assertThat(before.exitCode())
                .as("before the restore C1 differs from the state: %s", before)
                .isEqualTo(2);

        Response byWriter = ws.client().send("POST", ws.api("/versions/" + n + "/restore"), (byte[]) null);
        assertThat(byWriter.status()).as("restore needs admin: %s", byWriter).isEqualTo(403);
        Response restore = admin.send("POST", ws.api("/versions/" + n + "/restore"), (byte[]) null);

        assertThat(restore.status()).as("%s", restore).isEqualTo(200);
        JsonNode restored = restore.json();
        JsonNode versions = ws.versions();
        assertThat(versions.get(0).path("number").asLong())
                .isEqualTo(restored.path("number").asLong())
                .isGreaterThan(c2Version.path("number").asLong());
        assertThat(restored.path("serial").asLong())
                .as("serials keep rising")
                .isGreaterThan(c2Version.path("serial").asLong());
        assertThat(restored.path("lineage").asText())
                .isEqualTo(c1Version.path("lineage").asText());
        JsonNode current = ws.serverState();
        assertThat(current.path("serial").asLong())
                .isEqualTo(restored.path("serial").asLong());
        assertThat(current.path("resources")).isEqualTo(c1State.path("resources"));
        assertThat(current.path("outputs")).isEqualTo(c1State.path("outputs"));
        ws.assertUnlocked();

        Result plan = ws.tf.run("plan", "-detailed-exitcode", "-no-color");

        assertThat(plan.exitCode())
                .as("C1 against the restored state: %s", plan)
                .isZero();
        assertThat(plan.output()).contains("No changes.");
        assertThat(ws.versions()).as("a plan writes nothing").hasSize(versions.size());
        ws.tf.writeFile("main.tf", C2);
        ws.tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
        JsonNode next = ws.versions().get(0);
        assertThat(next.path("serial").asLong())
                .as("terraform continues on top of the restored serial")
                .isGreaterThan(restored.path("serial").asLong());
        assertThat(addresses(ws.serverState()))
                .containsExactly("terraform_data.app", "terraform_data.cache", "terraform_data.net");
        ws.assertUnlocked();
    }

    // ---- destructive-write guard -----------------------------------------------------------------------------------

    @Test
    void enforcedGuardRefusesDestroyKeepsEverythingAndAnApiPermitLetsItThrough() {
        Workspace ws = guardedWorkspaceWithRefusedDestroy("destroy-api");
        Response byWriter = ws.client().send("POST", ws.api("/permit"), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(byWriter.status()).as("a permit needs admin: %s", byWriter).isEqualTo(403);

        Response permit = admin.send(
                "POST",
                ws.api("/permit"),
                "{\"minutes\":10}".getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/json");

        assertThat(permit.status()).as("%s", permit).isEqualTo(200);
        assertThat(permit.json().path("until").asText()).isNotBlank();
        destroyPassesWithThePermit(ws);
    }

    @Test
    void enforcedGuardRefusesDestroyAndACliPermitLetsItThrough() {
        Workspace ws = guardedWorkspaceWithRefusedDestroy("destroy-cli");

        CliResult permit = node.server()
                .cli("state", "permit-destructive", "--project", ws.project, "--state", ws.state, "--minutes", "10");

        assertThat(permit.exitCode()).as("%s", permit).isZero();
        assertThat(permit.stdout()).contains(ws.project + "/" + ws.state).contains("allowed until");
        destroyPassesWithThePermit(ws);
    }

    @Test
    void enforcedGuardRefusesStatePushForceOfAnOlderStateUntilPermitted() throws IOException {
        Workspace ws = newWorkspace(GUARDED, "push-force");
        ws.tf.writeFile("main.tf", C1);
        ws.tf.run("init", "-no-color").requireSuccess();
        ws.tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
        ws.tf.writeFile("main.tf", C2);
        ws.tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
        ws.tf.writeFile("main.tf", C3);
        ws.tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
        JsonNode versions = ws.versions();
        assertThat(versions).as("ordinary applies pass under enforce").hasSize(3);
        JsonNode head = versions.get(0);
        long oldest = versions.get(2).path("number").asLong();
        byte[] oldState = admin.versionContent(ws.project, ws.state, oldest);
        Files.write(ws.tf.workDir().resolve("old.tfstate"), oldState);
        JsonNode headState = ws.serverState();

        Result plain = ws.tf.run("state", "push", "-no-color", "old.tfstate");
        assertThat(plain.exitCode())
                .as("terraform's own serial check: %s", plain)
                .isNotZero();
        assertThat(plain.output()).contains("cannot import state with serial");
        assertThat(ws.quarantine()).as("nothing was sent").isEmpty();

        Result forced = ws.tf.run("state", "push", "-force", "-no-color", "old.tfstate");

        assertThat(forced.exitCode()).as("%s", forced).isEqualTo(1);
        assertThat(forced.output()).contains("HTTP error: 409").doesNotContain("giving up after");
        JsonNode quarantine = ws.quarantine();
        assertThat(quarantine).hasSize(1);
        assertThat(quarantine.get(0).path("reasons").toString()).contains("serial-decreased");
        assertThat(quarantine.get(0).path("serial").asLong())
                .isLessThan(head.path("serial").asLong());
        assertThat(quarantine.get(0).path("lockId").asText())
                .as("sent under the push's lock")
                .isNotBlank();
        assertThat(ws.versions()).hasSize(3);
        assertThat(ws.serverState()).as("nothing lost").isEqualTo(headState);
        ws.assertUnlocked();

        Response permit = admin.send("POST", ws.api("/permit"), (byte[]) null);
        assertThat(permit.status()).as("%s", permit).isEqualTo(200);
        ws.tf.run("state", "push", "-force", "-no-color", "old.tfstate").requireSuccess();

        JsonNode pushed = ws.serverState();
        assertThat(ws.versions()).hasSize(4);
        assertThat(pushed.path("serial").asLong())
                .as("the override lets the serial go down")
                .isLessThan(head.path("serial").asLong());
        assertThat(pushed.path("resources")).isEqualTo(parse(oldState).path("resources"));
        ws.tf.writeFile("main.tf", C1);
        Result plan = ws.tf.run("plan", "-detailed-exitcode", "-no-color");
        assertThat(plan.exitCode())
                .as("the pushed C1 state is in use: %s", plan)
                .isZero();
        ws.assertUnlocked();
    }

    /**
     * A guarded state with C1 applied and one {@code terraform destroy} refused; asserts everything that refusal must
     * and must not have done.
     */
    Workspace guardedWorkspaceWithRefusedDestroy(String hint) {
        Workspace ws = newWorkspace(GUARDED, hint);
        ws.tf.writeFile("main.tf", C1);
        ws.tf.run("init", "-no-color").requireSuccess();
        ws.tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
        ws.tf.writeFile("main.tf", C2);
        ws.tf.run("apply", "-auto-approve", "-no-color").requireSuccess();
        JsonNode versions = ws.versions();
        assertThat(versions).as("ordinary applies pass under enforce").hasSize(2);
        JsonNode applied = ws.serverState();
        assertThat(applied.path("resources")).hasSize(3);
        Path errored = ws.tf.workDir().resolve("errored.tfstate");
        assertThat(errored).doesNotExist();

        Result refused = ws.tf.run("destroy", "-auto-approve", "-no-color");

        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
        // Terraform's http backend reports a refused write by its status code only, and does not retry a 409.
        assertThat(refused.output())
                .contains("Error saving state: HTTP error: 409")
                .contains("Failed to persist state to backend")
                .contains("errored.tfstate")
                .doesNotContain("giving up after");
        assertThat(ws.versions()).as("no version written").hasSize(2);
        assertThat(ws.serverState()).as("nothing lost").isEqualTo(applied);
        ws.assertUnlocked();
        assertThat(errored).as("terraform saved what it could not write").isRegularFile();
        byte[] erroredBytes = read(errored);
        JsonNode erroredState = parse(erroredBytes);
        assertThat(erroredState.path("resources").isArray()).isTrue();
        assertThat(erroredState.path("resources")).as("the destroyed state").isEmpty();
        assertThat(erroredState.path("lineage").asText())
                .isEqualTo(applied.path("lineage").asText());
        assertThat(erroredState.path("serial").asLong())
                .isGreaterThan(applied.path("serial").asLong());

        JsonNode quarantine = ws.quarantine();
        assertThat(quarantine).as("the refused body is kept").hasSize(1);
        JsonNode kept = quarantine.get(0);
        assertThat(kept.path("reasons").toString()).contains("removes-all-resources");
        assertThat(kept.path("resourceCount").asInt()).isZero();
        assertThat(kept.path("serial").asLong())
                .isEqualTo(erroredState.path("serial").asLong());
        assertThat(kept.path("lockId").asText()).as("sent under destroy's lock").isNotBlank();
        assertThat(kept.path("sha256").asText())
                .as("errored.tfstate is the quarantined body")
                .isEqualTo(StatefortClient.sha256Hex(erroredBytes));
        Response content = admin.get(ws.api("/quarantine/" + kept.path("id").asLong() + "/content"));
        assertThat(content.status()).as("%s", content).isEqualTo(200);
        assertThat(content.body()).isEqualTo(erroredBytes);

        // What the server answered terraform (terraform does not show it): the same body sent again, as
        // "terraform state push errored.tfstate" would, gets the 409 that says how to allow the write.
        Response again = ws.client().write(ws.path(), erroredBytes, null);
        assertThat(again.status()).as("%s", again).isEqualTo(409);
        assertThat(again.text())
                .contains("Nothing was lost")
                .contains("statefort state permit-destructive --project " + ws.project + " --state " + ws.state)
                .contains("POST " + ws.api("/permit"));
        assertThat(ws.quarantine()).hasSize(2);
        assertThat(ws.serverState()).isEqualTo(applied);
        return ws;
    }

    /** With a permit granted, the same {@code terraform destroy} goes through and the state is empty. */
    void destroyPassesWithThePermit(Workspace ws) {
        int before = ws.versions().size();

        Result destroy = ws.tf.run("destroy", "-auto-approve", "-no-color");

        assertThat(destroy.exitCode()).as("%s", destroy).isZero();
        assertThat(destroy.output()).contains("Destroy complete! Resources: 3 destroyed.");
        assertThat(ws.versions()).hasSize(before + 1);
        JsonNode current = ws.serverState();
        assertThat(current.path("resources").isArray()).isTrue();
        assertThat(current.path("resources")).isEmpty();
        ws.assertUnlocked();
        Result plan = ws.tf.run("plan", "-detailed-exitcode", "-no-color");
        assertThat(plan.exitCode())
                .as("terraform sees the empty state: %s", plan)
                .isEqualTo(2);
        assertThat(plan.output()).contains("3 to add");
    }

    // ---- configurations ----------------------------------------------------------------------------------------

    /** Three resources with inputs. */
    static final String C1 = """
            resource "terraform_data" "net" {
              input = { cidr = "10.0.0.0/16", name = "main" }
            }

            resource "terraform_data" "app" {
              input = { image = "app:1.0", replicas = 2, net = terraform_data.net.output.name }
            }

            resource "terraform_data" "db" {
              input = "small"
            }

            output "image" {
              value = terraform_data.app.output.image
            }
            """;

    /** C1 with app's input changed, db removed and cache added. */
    static final String C2 = """
            resource "terraform_data" "net" {
              input = { cidr = "10.0.0.0/16", name = "main" }
            }

            resource "terraform_data" "app" {
              input = { image = "app:2.0", replicas = 3, net = terraform_data.net.output.name }
            }

            resource "terraform_data" "cache" {
              input = "redis"
            }

            output "image" {
              value = terraform_data.app.output.image
            }
            """;

    /** C2 with net's input changed. */
    static final String C3 = C2.replace("10.0.0.0/16", "10.1.0.0/16");

    // ---- helpers -------------------------------------------------------------------------------------------------

    static JsonNode parse(byte[] json) {
        try {
            return StatefortClient.JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(json, StandardCharsets.UTF_8), e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** The sorted addresses of a state's resources. */
    static List<String> addresses(JsonNode state) {
        List<String> addresses = new ArrayList<>();
        state.path("resources")
                .forEach(r -> addresses.add(
                        r.path("type").asText() + "." + r.path("name").asText()));
        return addresses.stream().sorted().toList();
    }

    Workspace newWorkspace(String project, String hint) {
        String state = "hist-" + STATES.incrementAndGet() + "-" + hint;
        String token = writeTokens.get(project);
        TerraformCli tf = new TerraformCli(
                node.terraform(),
                node.dir().resolve(project + "-" + state),
                Map.of("TF_HTTP_USERNAME", "terraform-it", "TF_HTTP_PASSWORD", token));
        Workspace ws = new Workspace(project, state, token, tf);
        tf.writeFile("backend.tf", ws.backendBlock());
        return ws;
    }

    /** One terraform working directory bound to one Statefort state, lock at {@code <address>/lock}. */
    record Workspace(String project, String state, String token, TerraformCli tf) {
        String path() {
            return StatefortClient.statePath(project, state);
        }

        /** A REST path below this state. */
        String api(String rest) {
            return "/api/v1/projects/" + project + "/states/" + state + rest;
        }

        /** The token terraform uses (write permission on the project, not admin). */
        StatefortClient client() {
            return node.server().client(token);
        }

        String backendBlock() {
            return TerraformCli.httpBackendBlock(node.baseUrl() + path());
        }

        JsonNode versions() {
            return admin.versions(project, state).path("items");
        }

        JsonNode quarantine() {
            return admin.getJson(api("/quarantine")).path("items");
        }

        JsonNode serverState() {
            Response read = admin.get(path());
            assertThat(read.status()).as("%s", read).isEqualTo(200);
            return parse(read.body());
        }

        /** Neither the REST lock view nor the backend shows a lock: a fresh LOCK/UNLOCK pair succeeds. */
        void assertUnlocked() {
            JsonNode lock = admin.getJson(api("/lock"));
            assertThat(lock.path("locked").asBoolean())
                    .as("REST lock view: %s", lock)
                    .isFalse();
            String probe = newLockId();
            Response locked = client().send("LOCK", path() + "/lock", lockInfo(probe));
            assertThat(locked.status()).as("%s", locked).isEqualTo(200);
            Response unlocked = client().send("UNLOCK", path() + "/lock", lockInfo(probe));
            assertThat(unlocked.status()).as("%s", unlocked).isEqualTo(200);
        }
    }
}
