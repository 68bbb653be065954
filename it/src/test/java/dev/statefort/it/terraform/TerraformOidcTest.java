package dev.statefort.it.terraform;

import static dev.statefort.it.support.StatefortClient.statePath;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.testing.FakeOidcIssuer;
import dev.statefort.it.support.CliResult;
import dev.statefort.it.support.Fixtures;
import dev.statefort.it.support.RealServer;
import dev.statefort.it.support.StatefortClient;
import dev.statefort.it.support.StatefortProcess;
import dev.statefort.it.support.TerraformCli;
import dev.statefort.it.support.TerraformCli.Result;
import dev.statefort.it.support.TerraformConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 28 with the real {@code terraform}: a CI job's OIDC ID token as {@code TF_HTTP_PASSWORD} (no
 * stored secret): init, apply and destroy; a token of another branch is refused and Terraform says so;
 * an apply held open past its token's lifetime (60 s of clock skew included) still writes its state and
 * unlocks, while a new LOCK with that token is refused. The issuer is a real HTTP server on 127.0.0.1
 * ({@link FakeOidcIssuer}); the node (its own, configured with {@code STATEFORT_OIDC_CI_*}) runs on the
 * embedded default.
 */
class TerraformOidcTest {
    private static final String SUITE = "OIDC tokens with real terraform";
    private static final String REPO = "acme/infra";
    private static final String MAIN = "refs/heads/main";
    /** What terraform's http backend says for a 403. */
    private static final String FORBIDDEN = "HTTP remote state endpoint invalid auth";

    private static final Duration WAIT = Duration.ofSeconds(60);

    static final FakeOidcIssuer ISSUER = startIssuer();

    @RegisterExtension
    static final RealServer node = RealServer.startedBy((dir, logName) -> StatefortProcess.startWithEnvironment(
                    dir.resolve("server"),
                    logName,
                    Map.of(
                            "STATEFORT_OIDC_CI_ISSUER",
                            ISSUER.issuer(),
                            "STATEFORT_OIDC_CI_AUDIENCE",
                            FakeOidcIssuer.AUDIENCE)))
            .needingTerraform(SUITE)
            .setUp(n -> n.json(
                    "POST",
                    "/api/v1/projects/default/trust-policies",
                    "{\"name\":\"deploy-main\",\"issuer\":\"ci\",\"claims\":{\"repository\":\"" + REPO + "\",\"ref\":\""
                            + MAIN + "\"},\"permission\":\"write\",\"states\":\"ci-*\"}",
                    201));

    private static FakeOidcIssuer startIssuer() {
        try {
            return FakeOidcIssuer.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.close();
    }

    private static TerraformCli workspace(String state, String jwt) {
        TerraformCli tf = new TerraformCli(
                node.terraform(),
                node.dir().resolve(state),
                Map.of("TF_HTTP_USERNAME", "github-actions", "TF_HTTP_PASSWORD", jwt));
        tf.writeHttpBackend(node.baseUrl() + statePath("default", state));
        tf.writeFile("main.tf", TerraformConfigs.EXAMPLE);
        return tf;
    }

    @Test
    void initApplyAndDestroyWithTheJobsTokenAsThePassword() {
        String jwt = ISSUER.github(REPO, MAIN, Instant.now(), 600);
        TerraformCli tf = workspace("ci-network", jwt);
        tf.run("init", "-no-color").requireSuccess();
        tf.run("apply", "-auto-approve", "-no-color", "-var", "input=from-ci").requireSuccess();
        JsonNode state = TerraformWorkspace.parse(
                node.admin().get(statePath("default", "ci-network")).body());
        assertThat(state.path("outputs").path("input").path("value").asText()).isEqualTo("from-ci");
        tf.run("destroy", "-auto-approve", "-no-color", "-var", "input=from-ci").requireSuccess();
        JsonNode versions = node.admin()
                .get("/api/v1/projects/default/states/ci-network/versions")
                .json()
                .path("items");
        assertThat(versions.size()).as("apply and destroy each wrote a version").isGreaterThanOrEqualTo(2);
        assertThat(versions.get(0).path("principal").asText()).isEqualTo("oidc:ci:repo:" + REPO + ":ref:" + MAIN);
    }

    @Test
    void aTokenOfAnotherBranchIsRefusedAndTerraformSaysSo() {
        String feature = ISSUER.github(REPO, "refs/heads/feature", Instant.now(), 600);
        TerraformCli tf = workspace("ci-feature", feature);
        Result init = tf.run("init", "-no-color");
        Result apply = init.exitCode() == 0 ? tf.run("apply", "-auto-approve", "-no-color", "-var", "input=x") : init;
        assertThat(apply.exitCode()).isNotZero();
        assertThat(apply.output()).contains(FORBIDDEN);
        assertThat(node.admin().get(statePath("default", "ci-feature")).status())
                .isEqualTo(404);
    }

    @Test
    void anApplyOutlivesItsTokenAndANewLockWithItIsRefused() throws Exception {
        // valid for about 20 s more: 40 s past its exp, within the server's 60 s of clock skew
        Instant issued = Instant.now().minusSeconds(100);
        String jwt = ISSUER.github(REPO, MAIN, issued, 60);
        Instant deadForGood = issued.plusSeconds(60 + 60);
        TerraformCli tf = workspace("ci-long-apply", jwt);
        tf.run("init", "-no-color").requireSuccess();
        Path gate = tf.workDir().resolve("gate");
        try (TerraformCli.Background apply = tf.start(
                "apply", "-auto-approve", "-no-color", "-var", "input=outlived", "-var", "gate_file=" + gate)) {
            apply.awaitOutput("Provisioning with 'local-exec'", WAIT);
            long wait = Duration.between(Instant.now(), deadForGood).toMillis() + 2_000;
            if (wait > 0) {
                Thread.sleep(wait); // the apply holds its lock while the token expires for good
            }
            StatefortClient withJwt = StatefortClient.at(node.baseUrl(), jwt);
            assertThat(withJwt.send("LOCK", statePath("default", "ci-other"), Fixtures.lockInfo(Fixtures.newLockId()))
                            .status())
                    .as("a new LOCK with the expired token")
                    .isEqualTo(401);
            Files.createFile(gate);
            apply.await(WAIT).requireSuccess();
        }
        JsonNode state = TerraformWorkspace.parse(
                node.admin().get(statePath("default", "ci-long-apply")).body());
        assertThat(state.path("outputs").path("input").path("value").asText()).isEqualTo("outlived");
        assertThat(node.admin()
                        .get("/api/v1/projects/default/states/ci-long-apply/lock")
                        .json()
                        .path("locked")
                        .asBoolean(true))
                .as("the apply unlocked with its expired token")
                .isFalse();
    }

    /** Point 5: {@code statefort run} hands the job's own token to terraform (no token is minted), also from a file. */
    @Test
    void statefortRunHandsTheJobsTokenOnFromTheEnvironmentOrAFile() throws Exception {
        String jwt = ISSUER.github(REPO, MAIN, Instant.now(), 600);
        Path dir = Files.createDirectories(node.dir().resolve("run-oidc"));
        Files.writeString(dir.resolve("main.tf"), TerraformConfigs.EXAMPLE);
        Path rc = dir.resolve(".terraformrc");
        Files.writeString(rc, "# empty\n");
        java.util.Map<String, String> env = new java.util.HashMap<>(Map.of(
                "STATEFORT_URL",
                node.baseUrl(),
                "STATEFORT_OIDC_TOKEN",
                jwt,
                "TF_IN_AUTOMATION",
                "1",
                "CHECKPOINT_DISABLE",
                "1",
                "TF_CLI_CONFIG_FILE",
                rc.toString()));
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                StatefortProcess.javaExecutable(),
                "-jar",
                StatefortProcess.jar().toString(),
                "run",
                "--project",
                "default",
                "--state",
                "ci-run",
                "--dir",
                dir.toString(),
                "--",
                node.terraform().toString(),
                "apply",
                "-auto-approve",
                "-var",
                "input=run-with-oidc"));
        CliResult run = CliResult.run(command, Duration.ofSeconds(180), env, null);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(node.admin().get(statePath("default", "ci-run")).text()).contains("run-with-oidc");

        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, ISSUER.github(REPO, MAIN, Instant.now(), 600) + "\n");
        env.remove("STATEFORT_OIDC_TOKEN");
        command.set(command.indexOf("input=run-with-oidc"), "input=from-a-file");
        command.add(command.indexOf("--"), "--oidc-token-file");
        command.add(command.indexOf("--"), tokenFile.toString());
        CliResult fromFile = CliResult.run(command, Duration.ofSeconds(180), env, null);
        assertThat(fromFile.exitCode()).as(fromFile.toString()).isZero();
        assertThat(node.admin().get(statePath("default", "ci-run")).text()).contains("from-a-file");

        JsonNode tokens =
                node.admin().get("/api/v1/tokens?project=default").json().path("items");
        for (JsonNode t : tokens) {
            assertThat(t.path("name").asText()).as("no token was minted").isNotEqualTo("statefort run");
        }
        assertThat(run.output() + fromFile.output()).doesNotContain(jwt);
    }
}
