package dev.statefort.it.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.it.support.CliResult;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortProcess;
import dev.statefort.it.support.TerraformCli;
import dev.statefort.it.support.TerraformConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 point 4 with the real {@code terraform}: {@code statefort run} gives a pipeline a backend for one run
 * and leaves nothing behind (no backend file, its token revoked), also after SIGTERM mid-apply; a backend declared
 * in {@code .tf.json} is refused by name and replaced with {@code --override}; {@code --migrate} moves a local
 * state into Statefort and {@code --migrate-back} moves it out again. On the JVM's shared node (states of its own).
 */
class StatefortRunTest {
    private static final String SUITE = "statefort run";
    private static final String PROJECT = "default";

    static String adminToken;

    @RegisterExtension
    static final RealServer node = RealServer.shared()
            .needingTerraform(SUITE)
            .setUp(n -> adminToken = n.createToken(PROJECT, "admin", "run-it-pipeline"));

    @Test
    void aRunInADirectoryWithoutABackendAppliesIntoStatefortAndLeavesNothingBehind() throws IOException {
        Path dir = configuration("plain");

        CliResult run = run(dir, "run-plain", List.of(), "apply", "-auto-approve", "-var", "input=from-run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).as("the command's output is streamed").contains("Apply complete!");
        assertThat(node.admin().get("/tf/default/run-plain").text()).contains("from-run");
        assertThat(dir.resolve("statefort_backend.tf")).doesNotExist();
        assertThat(runTokens("run-plain")).singleElement().satisfies(t -> {
            assertThat(t.path("revokedAt").isNull()).as("revoked: " + t).isFalse();
            assertThat(t.path("permission").asText()).isEqualTo("write");
            assertThat(t.path("expiresAt").isNull()).isFalse();
        });

        CliResult second = run(dir, "run-plain", List.of(), "apply", "-auto-approve", "-var", "input=second");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stdout())
                .as("initialised for this backend already: no init")
                .doesNotContain("Initializing the backend");
        assertThat(node.admin().get("/tf/default/run-plain").text()).contains("second");
        assertThat(runTokens("run-plain"))
                .hasSize(2)
                .allSatisfy(t -> assertThat(t.path("revokedAt").isNull()).isFalse());
    }

    /** Issue 28 point 5: a write token (no admin) mints the run's token, a child for that one state, and revokes it. */
    @Test
    void aWriteTokenIsEnoughAndTheChildItMintsIsRevokedAfterTheRun() throws IOException {
        String writeToken = node.createToken(PROJECT, "write", "run-it-writer");
        Path dir = configuration("writer");
        Map<String, String> env = environment(dir);
        env.put("STATEFORT_TOKEN", writeToken);

        CliResult run = runWithEnvironment(
                env,
                dir,
                "run-writer",
                List.of(),
                node.terraform().toString(),
                "apply",
                "-auto-approve",
                "-var",
                "input=by-a-writer");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(node.admin().get("/tf/default/run-writer").text()).contains("by-a-writer");
        assertThat(runTokens("run-writer")).singleElement().satisfies(t -> {
            assertThat(t.path("revokedAt").isNull()).as("revoked: " + t).isFalse();
            assertThat(t.path("permission").asText()).isEqualTo("write");
        });
        assertThat(run.output()).doesNotContain(writeToken);
    }

    @Test
    void theCommandGetsTheRunsCredentialButNeverTheCallersTokenAndABackendFileOfBeforeIsPutBack() throws IOException {
        Path dir = configuration("env");
        Files.writeString(dir.resolve("statefort_backend.tf"), "# Written by statefort (backend-config or run)\n");
        CliResult run = runCommand(
                dir,
                "run-env",
                List.of("--no-init"),
                "sh",
                "-c",
                "echo token=${STATEFORT_TOKEN:-none} user=$TF_HTTP_USERNAME password=${TF_HTTP_PASSWORD:+set};"
                        + " grep -q /tf/default/run-env statefort_backend.tf && echo backend-file-written");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout())
                .contains("token=none user=terraform password=set")
                .contains("backend-file-written");
        assertThat(run.output()).doesNotContain(adminToken);
        assertThat(Files.readString(dir.resolve("statefort_backend.tf")))
                .as("the file that was there before the run is back")
                .isEqualTo("# Written by statefort (backend-config or run)\n");
    }

    @Test
    void sigtermMidApplyIsForwardedAndTheFileAndTokenAreStillCleanedUp() throws Exception {
        Path dir = configuration("sigterm");
        Path gate = dir.resolve("gate-never-opened");
        Process process = start(
                dir, "run-sigterm", "apply", "-auto-approve", "-var", "input=interrupted", "-var", "gate_file=" + gate);
        try {
            awaitLocked("run-sigterm", process);
            assertThat(dir.resolve("statefort_backend.tf")).exists();
            process.destroy(); // SIGTERM to statefort run, which forwards it to terraform once
            assertThat(process.waitFor(90, TimeUnit.SECONDS))
                    .as("terraform stopped")
                    .isTrue();
        } finally {
            process.destroyForcibly();
        }
        String output = Files.readString(dir.resolve("run.out"));
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("Interrupt received");
        assertThat(dir.resolve("statefort_backend.tf")).doesNotExist();
        assertThat(runTokens("run-sigterm"))
                .singleElement()
                .satisfies(t -> assertThat(t.path("revokedAt").isNull()).isFalse());
        JsonNode lock = node.admin().getJson("/api/v1/projects/default/states/run-sigterm/lock");
        assertThat(lock.path("locked").asBoolean())
                .as("Terraform released its lock on the interrupt, before the token was revoked")
                .isFalse();
    }

    @Test
    void aBackendDeclaredInTfJsonIsRefusedByNameThenReplacedWithOverride() throws IOException {
        Path dir = configuration("json");
        Files.writeString(
                dir.resolve("backend.tf.json"),
                "{\n  \"terraform\": {\n    \"backend\": {\n      \"local\": {\"path\": \"local.tfstate\"}\n    }\n  }\n}\n");

        CliResult refused = run(dir, "run-json", List.of(), "apply", "-auto-approve", "-var", "input=x");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr())
                .contains("backend.tf.json:3 declares backend \"local\"")
                .contains("--override");
        assertThat(runTokens("run-json")).as("refused before any token is made").isEmpty();

        CliResult run = run(
                dir, "run-json", List.of("--override", "--json"), "apply", "-auto-approve", "-var", "input=overridden");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(node.admin().get("/tf/default/run-json").text()).contains("overridden");
        assertThat(dir.resolve("local.tfstate"))
                .as("the declared backend was replaced")
                .doesNotExist();
        assertThat(dir.resolve("statefort_override.tf.json")).doesNotExist();
    }

    @Test
    void migrateMovesALocalStateIntoStatefortAndMigrateBackMovesItOut() throws IOException {
        Path dir = configuration("migrate");
        TerraformCli terraform = new TerraformCli(node.terraform(), dir, Map.of());
        terraform.run("init", "-input=false").requireSuccess();
        terraform.run("apply", "-auto-approve", "-var", "input=made-locally").requireSuccess();
        JsonNode local = json(Files.readString(dir.resolve("terraform.tfstate")));

        CliResult in = run(dir, "run-migrate", List.of("--migrate"), "output", "-raw", "input");
        assertThat(in.exitCode()).as(in.toString()).isZero();
        assertThat(in.stdout()).contains("made-locally");
        JsonNode moved = node.admin().getJson("/tf/default/run-migrate");
        assertThat(moved.path("outputs").path("input").path("value").asText()).isEqualTo("made-locally");
        assertThat(moved.path("resources").toString())
                .as("the local resources moved, not a new empty state")
                .isEqualTo(local.path("resources").toString());

        CliResult apply = run(dir, "run-migrate", List.of(), "apply", "-auto-approve", "-var", "input=in-statefort");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();

        CliResult out = run(dir, "run-migrate", List.of("--migrate-back"), "output", "-raw", "input");
        assertThat(out.exitCode()).as(out.toString()).isZero();
        JsonNode back = json(Files.readString(dir.resolve("terraform.tfstate")));
        JsonNode inStatefort = node.admin().getJson("/tf/default/run-migrate");
        assertThat(back.path("lineage").asText())
                .as("the state in Statefort came back")
                .isEqualTo(inStatefort.path("lineage").asText());
        assertThat(back.path("resources").toString())
                .isEqualTo(inStatefort.path("resources").toString());
        assertThat(back.path("outputs").path("input").path("value").asText()).isEqualTo("in-statefort");
        JsonNode cache = json(Files.readString(dir.resolve(".terraform/terraform.tfstate")));
        assertThat(cache.path("backend").path("type").asText())
                .as("the directory is on its own backend again")
                .isNotEqualTo("http");
    }

    private static Path configuration(String name) throws IOException {
        Path dir = Files.createDirectories(node.dir().resolve("run").resolve(name));
        Files.writeString(dir.resolve("main.tf"), TerraformConfigs.EXAMPLE);
        return dir;
    }

    private static CliResult run(Path dir, String state, List<String> flags, String... terraformArgs) {
        List<String> command = new ArrayList<>();
        command.add(node.terraform().toString());
        command.addAll(List.of(terraformArgs));
        return runCommand(dir, state, flags, command.toArray(String[]::new));
    }

    private static CliResult runCommand(Path dir, String state, List<String> flags, String... childCommand) {
        return runWithEnvironment(environment(dir), dir, state, flags, childCommand);
    }

    private static CliResult runWithEnvironment(
            Map<String, String> env, Path dir, String state, List<String> flags, String... childCommand) {
        List<String> args =
                new ArrayList<>(List.of("run", "--project", PROJECT, "--state", state, "--dir", dir.toString()));
        args.addAll(flags);
        args.add("--");
        args.addAll(List.of(childCommand));
        List<String> command = new ArrayList<>(List.of(
                StatefortProcess.javaExecutable(),
                "-jar",
                StatefortProcess.jar().toString()));
        command.addAll(args);
        return CliResult.run(command, Duration.ofSeconds(180), env, null);
    }

    private static Process start(Path dir, String state, String... terraformArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                StatefortProcess.javaExecutable(),
                "-jar",
                StatefortProcess.jar().toString(),
                "run",
                "--project",
                PROJECT,
                "--state",
                state,
                "--dir",
                dir.toString(),
                "--",
                node.terraform().toString()));
        command.addAll(List.of(terraformArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("STATEFORT_") || k.startsWith("TF_"));
        builder.environment().putAll(environment(dir));
        return builder.redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    private static Map<String, String> environment(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("STATEFORT_TOKEN", adminToken);
        env.put("STATEFORT_URL", node.baseUrl());
        env.put("TF_IN_AUTOMATION", "1");
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("TF_INPUT", "0");
        try {
            Path config = dir.resolve(".terraformrc");
            Files.writeString(config, "# empty: no credentials, no mirrors\n");
            env.put("TF_CLI_CONFIG_FILE", config.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return env;
    }

    private static void awaitLocked(String state, Process process) throws InterruptedException {
        for (int i = 0; i < 600; i++) { // at most 60 s
            if (!process.isAlive()) {
                throw new AssertionError("statefort run ended before the apply locked the state");
            }
            var lock = node.admin().get("/api/v1/projects/default/states/" + state + "/lock");
            if (lock.status() == 200 && lock.json().path("locked").asBoolean()) {
                Thread.sleep(1500); // let the apply reach its gated provisioner
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the apply never locked " + state);
    }

    private static List<JsonNode> runTokens(String state) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode t : node.admin().getJson("/api/v1/tokens?project=default").path("items")) {
            if (state.equals(t.path("state").asText())
                    && "statefort run".equals(t.path("name").asText())) {
                found.add(t);
            }
        }
        return found;
    }

    private static JsonNode json(String text) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text.getBytes(StandardCharsets.UTF_8));
    }
}
