package dev.statefort.it.terraform;

import static dev.statefort.it.support.Fixtures.newLockId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.it.support.LockLayout;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortClient.Response;
import dev.statefort.it.support.TerraformCli;
import dev.statefort.it.support.TerraformCli.Background;
import dev.statefort.it.support.TerraformCli.Result;
import dev.statefort.it.support.TerraformConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue point 10: the real {@code terraform} binary against Statefort, in every lock layout. Credentials go through
 * {@code TF_HTTP_USERNAME}/{@code TF_HTTP_PASSWORD}; the backend block holds only addresses (and methods). Server-side
 * effects are checked through the REST API and the backend protocol.
 */
class TerraformEndToEndTest {
    private static final String SUITE = "real-terraform end-to-end";
    static final String PROJECT = "default";
    private static final AtomicInteger STATES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(60);

    static String token;
    static StatefortClient api;

    /** Skipped per test (surefire counts them), or failed with {@code STATEFORT_REQUIRE_TERRAFORM=1}. */
    @RegisterExtension
    static final RealServer node = RealServer.started().needingTerraform(SUITE).setUp(n -> {
        token = n.createToken(PROJECT, "write", "terraform-it");
        api = n.server().client(token);
    });

    // ---- the tests -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void applyCreatesTheFirstVersionUnderALockAndReleasesIt(LockLayout layout) {
        TerraformWorkspace ws = newWorkspace(layout, "first-apply");
        ws.tf().run("init", "-no-color").requireSuccess();

        ws.tf().run("apply", "-auto-approve", "-no-color", "-var", "input=one").requireSuccess();

        JsonNode versions = ws.versions();
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).path("number").asLong()).isEqualTo(1);
        assertThat(versions.get(0).path("serial").asLong()).isEqualTo(1);
        assertThat(versions.get(0).path("lockId").asText())
                .as("written under terraform's lock")
                .isNotBlank();
        assertThat(versions.get(0).path("operation").asText()).isEqualTo("OperationTypeApply");
        assertThat(TerraformWorkspace.inputValue(ws.serverState())).isEqualTo("one");
        ws.assertUnlocked();
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void applyWithChangesWritesANewVersionAndANoOpPlanWritesNothing(LockLayout layout) {
        TerraformWorkspace ws = appliedWorkspace(layout, "changes", "one");

        ws.tf().run("apply", "-auto-approve", "-no-color", "-var", "input=two").requireSuccess();
        Result plan = ws.tf().run("plan", "-detailed-exitcode", "-no-color", "-var", "input=two");

        assertThat(plan.exitCode()).as("no-op plan: %s", plan).isEqualTo(0);
        JsonNode versions = ws.versions();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).path("serial").asLong())
                .isGreaterThan(versions.get(1).path("serial").asLong());
        assertThat(versions.get(0).path("lineage").asText())
                .isEqualTo(versions.get(1).path("lineage").asText());
        assertThat(TerraformWorkspace.inputValue(ws.serverState())).isEqualTo("two");
        ws.assertUnlocked();
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void secondApplyWhileTheLockIsHeldFailsNamingTheHolder(LockLayout layout) {
        TerraformWorkspace ws = appliedWorkspace(layout, "conflict", "one");
        String holderId = newLockId();
        ws.lock(holderId);

        Result second = ws.tf().run("apply", "-auto-approve", "-no-color", "-var", "input=two");

        assertThat(second.exitCode()).as("%s", second).isNotZero();
        assertThat(second.output()).contains("Error acquiring the state lock").contains(holderId);
        assertThat(ws.versions()).hasSize(1);
        assertThat(TerraformWorkspace.inputValue(ws.serverState())).isEqualTo("one");
        ws.assertLockedBy(holderId);
        ws.unlock(holderId);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void applyWithLockTimeoutWaitsForTheLockAndSucceedsOnceItIsReleased(LockLayout layout) {
        TerraformWorkspace ws = appliedWorkspace(layout, "lock-timeout", "one");
        String holderId = newLockId();
        ws.lock(holderId);

        try (Background waiting =
                ws.tf().start("apply", "-auto-approve", "-no-color", "-lock-timeout=30s", "-var", "input=two")) {
            waiting.awaitOutput("Acquiring state lock", WAIT);
            assertThat(waiting.isAlive())
                    .as("still waiting for the lock: %s", waiting.output())
                    .isTrue();
            assertThat(ws.versions()).hasSize(1);
            ws.unlock(holderId);

            Result result = waiting.await(WAIT);

            assertThat(result.exitCode()).as("%s", result).isZero();
        }
        JsonNode versions = ws.versions();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).path("lockId").asText()).isNotBlank().isNotEqualTo(holderId);
        assertThat(TerraformWorkspace.inputValue(ws.serverState())).isEqualTo("two");
        ws.assertUnlocked();
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void applyKilledWithSigkillLeavesTheLockAndForceUnlockClearsIt(LockLayout layout) {
        TerraformWorkspace ws = appliedWorkspace(layout, "killed", "one");

        String terraformLockId;
        try (Background apply = ws.tf()
                .start("apply", "-auto-approve", "-no-color", "-var", "input=one", "-var", "sleep_seconds=300")) {
            apply.awaitOutput("Provisioning with 'local-exec'", WAIT);
            terraformLockId = ws.restLock().path("id").asText();
            assertThat(terraformLockId)
                    .as("REST listing shows the running apply's lock")
                    .isNotBlank();
            assertThat(ws.restLock().path("operation").asText()).isEqualTo("OperationTypeApply");

            Result concurrent = ws.tf().run("apply", "-auto-approve", "-no-color", "-var", "input=two");
            assertThat(concurrent.exitCode()).as("%s", concurrent).isNotZero();
            assertThat(concurrent.output())
                    .contains("Error acquiring the state lock")
                    .contains(terraformLockId);

            apply.kill9();
            assertThat(apply.isAlive()).isFalse();
        }
        Response refused = ws.lock(newLockId(), 423);
        assertThat(refused.json().path("ID").asText())
                .as("the killed apply's lock is still held")
                .isEqualTo(terraformLockId);
        assertThat(refused.json().path("Operation").asText()).isEqualTo("OperationTypeApply");
        assertThat(ws.restLock().path("id").asText()).isEqualTo(terraformLockId);
        assertThat(ws.versions()).hasSize(1);
        Result blocked = ws.tf().run("plan", "-no-color", "-var", "input=one");
        assertThat(blocked.exitCode()).isNotZero();
        assertThat(blocked.output()).contains("Error acquiring the state lock").contains(terraformLockId);

        Result unlocked = ws.tf().run("force-unlock", "-force", "-no-color", terraformLockId);

        assertThat(unlocked.exitCode()).as("%s", unlocked).isZero();
        assertThat(unlocked.output()).containsIgnoringCase("successfully unlocked");
        ws.assertUnlocked();
        ws.tf()
                .run("apply", "-auto-approve", "-no-color", "-var", "input=three")
                .requireSuccess();
        assertThat(TerraformWorkspace.inputValue(ws.serverState())).isEqualTo("three");
        ws.assertUnlocked();
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void statePullReturnsWhatTheServerStores(LockLayout layout) throws IOException {
        TerraformWorkspace ws = appliedWorkspace(layout, "pull", "one");

        Result pull = ws.tf().run("state", "pull").requireSuccess();

        byte[] stored = api.get(ws.path()).body();
        JsonNode pulled = StatefortClient.JSON.readTree(pull.stdout());
        assertThat(pulled).isEqualTo(StatefortClient.JSON.readTree(stored));
        assertThat(pulled.path("lineage").asText())
                .isEqualTo(ws.versions().get(0).path("lineage").asText());
        assertThat(api.versionContent(PROJECT, ws.state(), 1)).isEqualTo(stored);
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void statePushOfAModifiedStateIsStored(LockLayout layout) throws IOException {
        TerraformWorkspace ws = appliedWorkspace(layout, "push", "one");
        ObjectNode state = (ObjectNode) StatefortClient.JSON.readTree(
                ws.tf().run("state", "pull").requireSuccess().stdout());
        long serial = state.path("serial").asLong();
        state.put("serial", serial + 1);
        ObjectNode attributes = (ObjectNode)
                state.path("resources").get(0).path("instances").get(0).path("attributes");
        ((ObjectNode) attributes.path("input")).put("value", "pushed");
        ((ObjectNode) attributes.path("output")).put("value", "pushed");
        ((ObjectNode) state.path("outputs").path("input")).put("value", "pushed");
        Files.writeString(
                ws.tf().workDir().resolve("modified.tfstate"),
                StatefortClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));

        ws.tf().run("state", "push", "-no-color", "modified.tfstate").requireSuccess();

        JsonNode stored = ws.serverState();
        // terraform bumps the serial once more itself when the pushed content differs
        assertThat(stored.path("serial").asLong()).isGreaterThan(serial);
        assertThat(stored.path("lineage").asText())
                .isEqualTo(state.path("lineage").asText());
        assertThat(TerraformWorkspace.inputValue(stored)).isEqualTo("pushed");
        JsonNode versions = ws.versions();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).path("serial").asLong())
                .isEqualTo(stored.path("serial").asLong());
        Result plan = ws.tf().run("plan", "-detailed-exitcode", "-no-color", "-var", "input=pushed");
        assertThat(plan.exitCode())
                .as("the pushed state is what terraform now sees: %s", plan)
                .isZero();
        ws.assertUnlocked();
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void destroyLeavesNoResourcesAndKeepsTheHistory(LockLayout layout) {
        TerraformWorkspace ws = appliedWorkspace(layout, "destroy", "one");

        ws.tf()
                .run("destroy", "-auto-approve", "-no-color", "-var", "input=one")
                .requireSuccess();

        JsonNode stored = ws.serverState();
        assertThat(stored.path("resources").isArray()).isTrue();
        assertThat(stored.path("resources")).isEmpty();
        assertThat(ws.versions()).hasSize(2);
        JsonNode first = TerraformWorkspace.parse(api.versionContent(PROJECT, ws.state(), 1));
        assertThat(first.path("resources")).hasSize(1);
        ws.assertUnlocked();
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void initMigrateStateCopiesALocalStateIntoStatefort(LockLayout layout) throws IOException {
        TerraformWorkspace ws = newWorkspace(layout, "migrate");
        String backendConfig = Files.readString(ws.tf().workDir().resolve("backend.tf"));
        Files.delete(ws.tf().workDir().resolve("backend.tf"));
        ws.tf().run("init", "-no-color").requireSuccess();
        ws.tf()
                .run("apply", "-auto-approve", "-no-color", "-var", "input=local")
                .requireSuccess();
        JsonNode local =
                TerraformWorkspace.parse(Files.readAllBytes(ws.tf().workDir().resolve("terraform.tfstate")));
        assertThat(local.path("resources")).hasSize(1);
        ws.tf().writeFile("backend.tf", backendConfig);

        ws.tf().run("init", "-migrate-state", "-force-copy", "-no-color").requireSuccess();

        JsonNode stored = ws.serverState();
        assertThat(stored.path("resources")).isEqualTo(local.path("resources"));
        assertThat(TerraformWorkspace.inputValue(stored)).isEqualTo("local");
        assertThat(ws.versions()).hasSize(1);
        Result plan = ws.tf().run("plan", "-detailed-exitcode", "-no-color", "-var", "input=local");
        assertThat(plan.exitCode()).as("migrated state is in use: %s", plan).isZero();
        ws.assertUnlocked();
    }

    @ParameterizedTest
    @EnumSource(LockLayout.class)
    void applyWithLockFalseWritesWithoutIdAndIsRefusedWhileAnotherRunHoldsTheLock(LockLayout layout) {
        TerraformWorkspace ws = appliedWorkspace(layout, "lock-false", "one");

        ws.tf()
                .run("apply", "-auto-approve", "-no-color", "-lock=false", "-var", "input=two")
                .requireSuccess();
        JsonNode unlockedWrite = ws.versions().get(0);
        assertThat(unlockedWrite.path("number").asLong()).isEqualTo(2);
        assertThat(unlockedWrite.path("lockId").isNull()
                        || unlockedWrite.path("lockId").isMissingNode())
                .as("written without ?ID=: %s", unlockedWrite)
                .isTrue();

        String holderId = newLockId();
        ws.lock(holderId);
        Result refused = ws.tf().run("apply", "-auto-approve", "-no-color", "-lock=false", "-var", "input=three");

        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(refused.output()).contains("423");
        assertThat(ws.versions()).hasSize(2);
        assertThat(TerraformWorkspace.inputValue(ws.serverState())).isEqualTo("two");
        ws.unlock(holderId);
    }

    @Test
    void terraformRemoteStateReadsOutputsWhileTheStateIsLocked() {
        TerraformWorkspace producer = appliedWorkspace(LockLayout.LOCK_URL, "remote-producer", "shared-value");
        String holderId = newLockId();
        producer.lock(holderId);
        TerraformCli consumer = new TerraformCli(
                node.terraform(), node.dir().resolve("remote-consumer"), Map.of("TF_VAR_statefort_token", token));
        consumer.writeFile("main.tf", """
                variable "statefort_token" {
                  type      = string
                  sensitive = true
                }

                data "terraform_remote_state" "producer" {
                  backend = "http"
                  config = {
                    address  = "%s"
                    username = "reader"
                    password = var.statefort_token
                  }
                }

                output "seen" {
                  value = data.terraform_remote_state.producer.outputs.input
                }
                """.formatted(node.baseUrl() + producer.path()));

        consumer.run("init", "-no-color").requireSuccess();
        consumer.run("apply", "-auto-approve", "-no-color").requireSuccess();
        Result output = consumer.run("output", "-raw", "seen").requireSuccess();

        assertThat(output.stdout().strip()).isEqualTo("shared-value");
        producer.assertLockedBy(holderId);
        producer.unlock(holderId);
    }

    @Test
    void serverKilledWithSigkillDuringAnApplyKeepsTheLockAndTheApplyFinishesAfterRestart() throws IOException {
        TerraformWorkspace ws = appliedWorkspace(LockLayout.LOCK_URL, "server-killed", "one");
        Path gate = ws.tf().workDir().resolve("gate");

        try (Background apply = ws.tf()
                .start("apply", "-auto-approve", "-no-color", "-var", "input=two", "-var", "gate_file=" + gate)) {
            apply.awaitOutput("Provisioning with 'local-exec'", WAIT);
            String lockId = ws.restLock().path("id").asText();
            assertThat(lockId).isNotBlank();

            node.server().kill9();
            node.server().restart();

            assertThat(ws.restLock().path("id").asText())
                    .as("lock survives kill -9")
                    .isEqualTo(lockId);
            ws.assertLockedBy(lockId);
            Files.writeString(gate, "go");
            Result result = apply.await(WAIT);

            assertThat(result.exitCode()).as("%s", result).isZero();
            JsonNode versions = ws.versions();
            assertThat(versions).hasSize(2);
            assertThat(versions.get(0).path("lockId").asText()).isEqualTo(lockId);
        }
        assertThat(TerraformWorkspace.inputValue(ws.serverState())).isEqualTo("two");
        ws.assertUnlocked();
    }

    @Test
    void initWithoutCredentialsFailsAndWithTfHttpPasswordSucceeds() {
        TerraformWorkspace anonymous = newWorkspace(LockLayout.LOCK_URL, "no-credentials", Map.of());

        Result refused = anonymous.tf().run("init", "-no-color");

        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(refused.output()).containsIgnoringCase("auth");
        TerraformWorkspace authenticated = newWorkspace(LockLayout.LOCK_URL, "with-credentials");
        authenticated.tf().run("init", "-no-color").requireSuccess();
        authenticated
                .tf()
                .run("apply", "-auto-approve", "-no-color", "-var", "input=x")
                .requireSuccess();
        assertThat(authenticated.versions()).hasSize(1);
        assertThat(authenticated.versions().get(0).path("principal").toString())
                .as("the version records the token's principal")
                .isNotEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    TerraformWorkspace newWorkspace(LockLayout layout, String hint) {
        return newWorkspace(layout, hint, Map.of("TF_HTTP_USERNAME", "terraform-it", "TF_HTTP_PASSWORD", token));
    }

    TerraformWorkspace newWorkspace(LockLayout layout, String hint, Map<String, String> env) {
        String state = "tf-" + STATES.incrementAndGet() + "-"
                + layout.name().toLowerCase().replace('_', '-') + "-" + hint;
        TerraformCli tf = new TerraformCli(node.terraform(), node.dir().resolve(state), env);
        TerraformWorkspace ws = new TerraformWorkspace(layout, PROJECT, state, tf, node.baseUrl(), api);
        tf.writeFile("backend.tf", ws.backendBlock());
        tf.writeFile("main.tf", MAIN_TF);
        return ws;
    }

    TerraformWorkspace appliedWorkspace(LockLayout layout, String hint, String input) {
        TerraformWorkspace ws = newWorkspace(layout, hint);
        ws.tf().run("init", "-no-color").requireSuccess();
        ws.tf()
                .run("apply", "-auto-approve", "-no-color", "-var", "input=" + input)
                .requireSuccess();
        assertThat(ws.versions()).hasSize(1);
        return ws;
    }

    static final String MAIN_TF = TerraformConfigs.EXAMPLE;
}
